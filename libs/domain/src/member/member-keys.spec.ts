import type { RequestedRevocationReason } from '../key-events';
import type { Actor } from '../actor';
import {
  HOUR,
  issueKeyCommand,
  keyIssued,
  keyRevoked,
  keyRotated,
  memberActor,
  NOW,
  orgAdmin,
  OTHER_ORG,
  rotateKeyCommand,
} from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import { ALICE, alice, memberAdded, memberRemoved } from '../testing/member-fixtures';
import type { MemberCommand } from './member-commands';
import { memberDecider } from './member-decider';

const member = given(memberDecider, [memberAdded()]);
const withKey = given(memberDecider, [memberAdded(), keyIssued(ALICE, 'key_1')]);
const bob = memberActor('u_bob');

function revokeKey(
  actor: Actor,
  keyId: string,
  reason: RequestedRevocationReason = 'manual',
): MemberCommand {
  return { type: 'RevokeKey', data: { actor, keyId, reason } };
}

function revokeAll(actor: Actor): MemberCommand {
  return { type: 'RevokeAllKeys', data: { actor, reason: 'revoke_all' } };
}

describe('personal keys: issuing', () => {
  it('issues a key to the member themself', () => {
    member.when(issueKeyCommand(alice, 'key_1')).then([keyIssued(ALICE, 'key_1')]);
  });

  it('lets an org admin issue a member their key, and refuses anyone else', () => {
    member.when(issueKeyCommand(orgAdmin, 'key_1')).then([keyIssued(ALICE, 'key_1')]);
    member.when(issueKeyCommand(bob, 'key_1')).thenThrows('AUTH.FORBIDDEN');
  });

  it('applies the same key rules as service accounts', () => {
    const capOne = { maxActiveKeysPerPrincipal: 1, maxKeyLifetimeSeconds: null };
    withKey
      .when(issueKeyCommand(alice, 'key_2', { policy: capOne }))
      .thenThrows('KEY.LIMIT_REACHED');
    withKey.when(issueKeyCommand(alice, 'key_1')).thenThrows('KEY.ALREADY_EXISTS');
    member
      .when(issueKeyCommand(alice, 'key_1', { expiresAt: NOW }))
      .thenThrows('KEY.EXPIRY_IN_PAST');
  });

  it('refuses a removed member', () => {
    given(memberDecider, [memberAdded(), memberRemoved])
      .when(issueKeyCommand(alice, 'key_1'))
      .thenThrows('MEMBER.REMOVED');
  });

  it('answers not found for a missing member and for another organization', () => {
    given(memberDecider).when(issueKeyCommand(alice, 'key_1')).thenThrows('MEMBER.NOT_FOUND');
    const aliceElsewhere = memberActor(ALICE.id, [], { orgId: OTHER_ORG });
    member.when(issueKeyCommand(aliceElsewhere, 'key_1')).thenThrows('MEMBER.NOT_FOUND');
  });
});

describe('personal keys: revoking', () => {
  it('lets the member revoke their own key', () => {
    withKey.when(revokeKey(alice, 'key_1', 'leaked')).then([keyRevoked(ALICE, 'key_1', 'leaked')]);
  });

  it('lets an org admin revoke it', () => {
    withKey.when(revokeKey(orgAdmin, 'key_1')).then([keyRevoked(ALICE, 'key_1', 'manual')]);
  });

  it('refuses another member', () => {
    withKey.when(revokeKey(bob, 'key_1')).thenThrows('AUTH.FORBIDDEN');
    withKey.when(revokeAll(bob)).thenThrows('AUTH.FORBIDDEN');
  });

  it('refuses an unknown key and ignores one already revoked', () => {
    withKey.when(revokeKey(alice, 'key_9')).thenThrows('KEY.NOT_FOUND');
    given(memberDecider, [
      memberAdded(),
      keyIssued(ALICE, 'key_1'),
      keyRevoked(ALICE, 'key_1', 'manual'),
    ])
      .when(revokeKey(alice, 'key_1'))
      .then([]);
  });

  it('revokes all keys not yet revoked, expired ones included', () => {
    given(memberDecider, [
      memberAdded(),
      keyIssued(ALICE, 'key_1'),
      keyIssued(ALICE, 'key_2', NOW - HOUR),
    ])
      .when(revokeAll(alice))
      .then([keyRevoked(ALICE, 'key_1', 'revoke_all'), keyRevoked(ALICE, 'key_2', 'revoke_all')]);
    member.when(revokeAll(alice)).then([]);
  });

  it('is a no-op on a removed member, whose keys died with the membership', () => {
    const removed = given(memberDecider, [
      memberAdded(),
      keyIssued(ALICE, 'key_1'),
      keyRevoked(ALICE, 'key_1', 'member_removed'),
      memberRemoved,
    ]);
    removed.when(revokeKey(orgAdmin, 'key_1')).then([]);
    removed.when(revokeAll(orgAdmin)).then([]);
  });
});

describe('personal keys: rotating', () => {
  it('rotates a member key like a service account key, for the member or an org admin', () => {
    const expected = [
      keyIssued(ALICE, 'key_2'),
      keyRotated(ALICE, 'key_1', 'key_2', NOW + 24 * HOUR),
    ];
    withKey.when(rotateKeyCommand(alice, 'key_1', 'key_2')).then(expected);
    withKey.when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2')).then(expected);
    withKey.when(rotateKeyCommand(bob, 'key_1', 'key_2')).thenThrows('AUTH.FORBIDDEN');
  });

  it('refuses a removed member', () => {
    given(memberDecider, [memberAdded(), keyIssued(ALICE, 'key_1'), memberRemoved])
      .when(rotateKeyCommand(alice, 'key_1', 'key_2'))
      .thenThrows('MEMBER.REMOVED');
  });
});
