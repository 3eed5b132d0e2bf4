import {
  grant,
  keyIssued,
  keyRevoked,
  memberActor,
  NOW,
  orgAdmin,
  OTHER_ORG,
} from '../testing/fixtures';
import { ORG } from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import {
  ALICE,
  addMember,
  memberAdded,
  memberGrant,
  memberRemoved,
  removeMember,
} from '../testing/member-fixtures';
import type { MemberCommand } from './member-commands';
import type { MemberGrant, OrgRole } from './member-events';
import { memberDecider } from './member-decider';

const plainMember = memberActor('u_bob', [grant('*', 'admin')]);

function changeGrants(orgRole: OrgRole, grants: MemberGrant[], actor = orgAdmin): MemberCommand {
  return { type: 'ChangeMemberGrants', data: { actor, orgRole, grants } };
}

describe('AddMember', () => {
  it('adds a member when an org admin asks', () => {
    given(memberDecider).when(addMember(orgAdmin)).then([memberAdded()]);
  });

  it('adds the first admin without an actor (bootstrap)', () => {
    const grants = [memberGrant('*', 'admin')];
    given(memberDecider)
      .when(addMember(null, 'admin', grants))
      .then([memberAdded('admin', grants)]);
  });

  it('adds nobody but an org admin without an actor', () => {
    given(memberDecider).when(addMember(null, 'member')).thenThrows('AUTH.FORBIDDEN');
  });

  it('is for org admins only', () => {
    given(memberDecider).when(addMember(plainMember)).thenThrows('AUTH.FORBIDDEN');
  });

  it("answers not found to another organization's admin", () => {
    const outsider = memberActor('u_x', [], { orgAdmin: true, orgId: OTHER_ORG });
    given(memberDecider).when(addMember(outsider)).thenThrows('ORGANIZATION.NOT_FOUND');
  });

  it('refuses a member who is already in', () => {
    given(memberDecider, [memberAdded()])
      .when(addMember(orgAdmin))
      .thenThrows('MEMBER.ALREADY_EXISTS');
  });

  it('re-adds a removed member', () => {
    given(memberDecider, [memberAdded(), memberRemoved])
      .when(addMember(orgAdmin))
      .then([memberAdded()]);
  });

  it('refuses two grants on one resource', () => {
    const grants = [memberGrant('db:a', 'reader'), memberGrant('db:a', 'writer')];
    given(memberDecider)
      .when(addMember(orgAdmin, 'member', grants))
      .thenThrows('MEMBER.DUPLICATE_GRANT');
  });
});

describe('ChangeMemberGrants', () => {
  const member = given(memberDecider, [memberAdded()]);

  it('records new grants and org role', () => {
    const grants = [memberGrant('db:a', 'writer'), memberGrant('db:b', 'reader')];
    member.when(changeGrants('admin', grants)).then([
      {
        type: 'MemberGrantsChanged',
        data: { orgId: ORG, userId: ALICE.id, orgRole: 'admin', grants },
      },
    ]);
  });

  it('records nothing when nothing changes', () => {
    member.when(changeGrants('member', [memberGrant('db:a', 'reader')])).then([]);
  });

  it('is for org admins only', () => {
    member.when(changeGrants('admin', [], plainMember)).thenThrows('AUTH.FORBIDDEN');
  });

  it('refuses two grants on one resource', () => {
    const grants = [memberGrant('*', 'reader'), memberGrant('*', 'admin')];
    member.when(changeGrants('member', grants)).thenThrows('MEMBER.DUPLICATE_GRANT');
  });

  it('answers not found for a missing member and for another organization', () => {
    given(memberDecider).when(changeGrants('member', [])).thenThrows('MEMBER.NOT_FOUND');
    const outsider = memberActor('u_x', [], { orgAdmin: true, orgId: OTHER_ORG });
    member.when(changeGrants('member', [], outsider)).thenThrows('MEMBER.NOT_FOUND');
  });

  it('refuses a removed member', () => {
    given(memberDecider, [memberAdded(), memberRemoved])
      .when(changeGrants('member', []))
      .thenThrows('MEMBER.REMOVED');
  });
});

describe('RemoveMember', () => {
  it('revokes every personal key not yet revoked, then removes the member, in one result', () => {
    given(memberDecider, [
      memberAdded(),
      keyIssued(ALICE, 'key_1'),
      keyIssued(ALICE, 'key_2', NOW - 1),
      keyIssued(ALICE, 'key_3'),
      keyRevoked(ALICE, 'key_3', 'manual'),
    ])
      .when(removeMember(orgAdmin))
      .then([
        keyRevoked(ALICE, 'key_1', 'member_removed'),
        keyRevoked(ALICE, 'key_2', 'member_removed'),
        memberRemoved,
      ]);
  });

  it('just removes a member without keys', () => {
    given(memberDecider, [memberAdded()]).when(removeMember(orgAdmin)).then([memberRemoved]);
  });

  it('is for org admins only', () => {
    given(memberDecider, [memberAdded()])
      .when(removeMember(plainMember))
      .thenThrows('AUTH.FORBIDDEN');
  });

  it('refuses to remove twice', () => {
    given(memberDecider, [memberAdded(), memberRemoved])
      .when(removeMember(orgAdmin))
      .thenThrows('MEMBER.REMOVED');
  });
});
