import type { KeyPolicy } from '../key-events';
import {
  HOUR,
  issueKeyCommand,
  keyIssued,
  keyRevoked,
  memberActor,
  NOW,
  orgAdmin,
  OTHER_ORG,
} from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import { ACCOUNT, accountCreated } from '../testing/service-account-fixtures';
import type { ServiceAccountCommand } from './service-account-commands';
import type { ServiceAccountEvent } from './service-account-events';
import { serviceAccountDecider } from './service-account-decider';

const created = accountCreated();
const deleted: ServiceAccountEvent = {
  type: 'ServiceAccountDeleted',
  data: { orgId: 'org_1', accountId: ACCOUNT.id, reason: 'gone' },
};
const account = given(serviceAccountDecider, [created]);
const capOf = (max: number): KeyPolicy => ({
  maxActiveKeysPerPrincipal: max,
  maxKeyLifetimeSeconds: null,
});
const lifetimeOf = (seconds: number): KeyPolicy => ({
  maxActiveKeysPerPrincipal: 100,
  maxKeyLifetimeSeconds: seconds,
});

function revokeKey(keyId: string, actor = orgAdmin): ServiceAccountCommand {
  return { type: 'RevokeKey', data: { actor, keyId, reason: 'manual' } };
}

function revokeAll(actor = orgAdmin): ServiceAccountCommand {
  return { type: 'RevokeAllKeys', data: { actor, reason: 'revoke_all' } };
}

describe('IssueKey for a service account', () => {
  it('issues a key owned by the account', () => {
    account.when(issueKeyCommand(orgAdmin, 'key_1')).then([keyIssued(ACCOUNT, 'key_1')]);
  });

  it('refuses a key id already used in the stream, even a revoked one', () => {
    given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyRevoked(ACCOUNT, 'key_1', 'manual'),
    ])
      .when(issueKeyCommand(orgAdmin, 'key_1'))
      .thenThrows('KEY.ALREADY_EXISTS');
  });

  it('refuses an expiry at or before now, and accepts one millisecond later', () => {
    account
      .when(issueKeyCommand(orgAdmin, 'key_1', { expiresAt: NOW }))
      .thenThrows('KEY.EXPIRY_IN_PAST');
    account
      .when(issueKeyCommand(orgAdmin, 'key_1', { expiresAt: NOW - HOUR }))
      .thenThrows('KEY.EXPIRY_IN_PAST');
    account
      .when(issueKeyCommand(orgAdmin, 'key_1', { expiresAt: NOW + 1 }))
      .then([keyIssued(ACCOUNT, 'key_1', NOW + 1)]);
  });

  it('defaults the expiry to the maximum lifetime when the policy has one', () => {
    account
      .when(issueKeyCommand(orgAdmin, 'key_1', { policy: lifetimeOf(3600) }))
      .then([keyIssued(ACCOUNT, 'key_1', NOW + HOUR)]);
  });

  it('accepts an expiry exactly at the maximum lifetime and refuses one beyond', () => {
    const policy = lifetimeOf(3600);
    account
      .when(issueKeyCommand(orgAdmin, 'key_1', { policy, expiresAt: NOW + HOUR }))
      .then([keyIssued(ACCOUNT, 'key_1', NOW + HOUR)]);
    account
      .when(issueKeyCommand(orgAdmin, 'key_1', { policy, expiresAt: NOW + HOUR + 1 }))
      .thenThrows('KEY.LIFETIME_EXCEEDS_POLICY');
  });

  it('refuses a key once the active keys reach the cap exactly', () => {
    const atCap = given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2'),
    ]);
    const error = atCap
      .when(issueKeyCommand(orgAdmin, 'key_3', { policy: capOf(2) }))
      .thenThrows('KEY.LIMIT_REACHED');
    expect(error.details).toEqual({ limit: 2 });
    atCap
      .when(issueKeyCommand(orgAdmin, 'key_3', { policy: capOf(3) }))
      .then([keyIssued(ACCOUNT, 'key_3')]);
  });

  it('does not count revoked keys, expired keys or a key expiring right now against the cap', () => {
    given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2'),
      keyRevoked(ACCOUNT, 'key_2', 'leaked'),
      keyIssued(ACCOUNT, 'key_3', NOW - HOUR),
      keyIssued(ACCOUNT, 'key_4', NOW),
    ])
      .when(issueKeyCommand(orgAdmin, 'key_5', { policy: capOf(2) }))
      .then([keyIssued(ACCOUNT, 'key_5')]);
  });

  it('refuses a deleted account', () => {
    given(serviceAccountDecider, [created, deleted])
      .when(issueKeyCommand(orgAdmin, 'key_1'))
      .thenThrows('SERVICE_ACCOUNT.DELETED');
  });

  it('answers not found for a missing account and for another organization', () => {
    given(serviceAccountDecider)
      .when(issueKeyCommand(orgAdmin, 'key_1'))
      .thenThrows('SERVICE_ACCOUNT.NOT_FOUND');
    const outsider = memberActor('u_x', [], { orgAdmin: true, orgId: OTHER_ORG });
    account.when(issueKeyCommand(outsider, 'key_1')).thenThrows('SERVICE_ACCOUNT.NOT_FOUND');
  });

  it('is refused to a member who may not manage the account', () => {
    account.when(issueKeyCommand(memberActor('u_someone'), 'key_1')).thenThrows('AUTH.FORBIDDEN');
  });
});

describe('RevokeKey for a service account', () => {
  const withKey = given(serviceAccountDecider, [created, keyIssued(ACCOUNT, 'key_1')]);

  it('revokes the key with the reason given', () => {
    withKey.when(revokeKey('key_1')).then([keyRevoked(ACCOUNT, 'key_1', 'manual')]);
  });

  it('refuses an unknown key', () => {
    withKey.when(revokeKey('key_9')).thenThrows('KEY.NOT_FOUND');
  });

  it('is a no-op for a key already revoked, so it can be retried', () => {
    given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyRevoked(ACCOUNT, 'key_1', 'leaked'),
    ])
      .when(revokeKey('key_1'))
      .then([]);
  });

  it('is a no-op on a deleted account', () => {
    given(serviceAccountDecider, [created, deleted]).when(revokeKey('key_1')).then([]);
    given(serviceAccountDecider, [created, deleted]).when(revokeAll()).then([]);
  });

  it('is refused to a member who may not manage the account', () => {
    withKey.when(revokeKey('key_1', memberActor('u_someone'))).thenThrows('AUTH.FORBIDDEN');
  });
});

describe('RevokeAllKeys for a service account', () => {
  it('revokes every key not yet revoked, expired ones included', () => {
    given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2', NOW - HOUR),
      keyIssued(ACCOUNT, 'key_3'),
      keyRevoked(ACCOUNT, 'key_3', 'manual'),
    ])
      .when(revokeAll())
      .then([
        keyRevoked(ACCOUNT, 'key_1', 'revoke_all'),
        keyRevoked(ACCOUNT, 'key_2', 'revoke_all'),
      ]);
  });

  it('records nothing when there is nothing to revoke', () => {
    account.when(revokeAll()).then([]);
  });
});
