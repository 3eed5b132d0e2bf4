import { requireOrgAdmin } from '../actor';
import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import type { IssueKey, RevokeAllKeys, RevokeKey, RotateKey } from '../key-events';
import { issueKey, revokeAllKeys, revokeKey, rotateKey } from '../key-ring';
import {
  activeMember,
  assertOneGrantPerResource,
  keyOwnerOf,
  knownMember,
  requireSelfOrOrgAdmin,
} from './member-access';
import type { AddMember, ChangeMemberGrants, MemberCommand, RemoveMember } from './member-commands';
import type { MemberEvent } from './member-events';
import { evolveMember, initialMemberState, type MemberState } from './member-state';

function decide(command: MemberCommand, state: MemberState): MemberEvent[] {
  switch (command.type) {
    case 'AddMember':
      return addMember(command, state);
    case 'ChangeMemberGrants':
      return changeGrants(command, state);
    case 'RemoveMember':
      return removeMember(command, state);
    case 'IssueKey':
      return issuePersonalKey(command, state);
    case 'RevokeKey':
      return revokePersonalKey(command, state);
    case 'RevokeAllKeys':
      return revokeAllPersonalKeys(command, state);
    case 'RotateKey':
      return rotatePersonalKey(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function addMember(command: AddMember, state: MemberState): MemberEvent[] {
  const { actor: _actor, ...member } = command.data;
  authorizeAdding(command);
  if (state.type === 'Active') {
    throw new DomainError('MEMBER.ALREADY_EXISTS', `member ${member.userId} already exists`);
  }
  assertOneGrantPerResource(member.grants);
  return [{ type: 'MemberAdded', data: member }];
}

function authorizeAdding(command: AddMember): void {
  const { actor, orgId, userId, orgRole } = command.data;
  if (actor === null) {
    if (orgRole === 'admin') return;
    throw new DomainError(
      'AUTH.FORBIDDEN',
      `member ${userId} can be added without an acting principal only as the organization's first admin`,
    );
  }
  if (actor.orgId !== orgId) {
    throw new DomainError('ORGANIZATION.NOT_FOUND', `organization ${orgId} was not found`);
  }
  requireOrgAdmin(actor, `add member ${userId}`);
}

function changeGrants(command: ChangeMemberGrants, state: MemberState): MemberEvent[] {
  const { actor, orgRole, grants } = command.data;
  const member = activeMember(actor, state);
  requireOrgAdmin(actor, `change the grants of member ${member.userId}`);
  assertOneGrantPerResource(grants);
  const unchanged =
    member.orgRole === orgRole && JSON.stringify(member.grants) === JSON.stringify(grants);
  if (unchanged) return [];
  const { orgId, userId } = member;
  return [{ type: 'MemberGrantsChanged', data: { orgId, userId, orgRole, grants } }];
}

// docs/product-rules.md rule 5: a removed member's keys die in the same append as the membership.
function removeMember(command: RemoveMember, state: MemberState): MemberEvent[] {
  const { actor, reason } = command.data;
  const member = activeMember(actor, state);
  requireOrgAdmin(actor, `remove member ${member.userId}`);
  const { orgId, userId } = member;
  return [
    ...revokeAllKeys(member.keys, keyOwnerOf(member), 'member_removed'),
    { type: 'MemberRemoved', data: { orgId, userId, reason } },
  ];
}

// Keyward has no login of its own: an org admin hands a new member their first key, and the
// event records the admin as the actor.
function issuePersonalKey(command: IssueKey, state: MemberState): MemberEvent[] {
  const member = activeMember(command.data.actor, state);
  requireSelfOrOrgAdmin(command.data.actor, member, 'issue personal keys');
  return issueKey(member.keys, keyOwnerOf(member), command.data);
}

function rotatePersonalKey(command: RotateKey, state: MemberState): MemberEvent[] {
  const member = activeMember(command.data.actor, state);
  requireSelfOrOrgAdmin(command.data.actor, member, 'rotate personal keys');
  return rotateKey(member.keys, keyOwnerOf(member), command.data);
}

// A removed member's keys are all revoked already, so revoking again is a harmless no-op.
function revokePersonalKey(command: RevokeKey, state: MemberState): MemberEvent[] {
  const { actor, keyId, reason } = command.data;
  const known = knownMember(actor, state);
  requireSelfOrOrgAdmin(actor, known.data, 'revoke personal keys');
  if (known.type === 'Removed') return [];
  return revokeKey(known.data.keys, keyOwnerOf(known.data), keyId, reason);
}

function revokeAllPersonalKeys(command: RevokeAllKeys, state: MemberState): MemberEvent[] {
  const { actor, reason } = command.data;
  const known = knownMember(actor, state);
  requireSelfOrOrgAdmin(actor, known.data, 'revoke personal keys');
  if (known.type === 'Removed') return [];
  return revokeAllKeys(known.data.keys, keyOwnerOf(known.data), reason);
}

export const memberDecider: Decider<MemberCommand, MemberEvent, MemberState> = {
  decide,
  evolve: evolveMember,
  initialState: initialMemberState,
};
