import type { Actor, PrincipalRef } from '../actor';
import type { MemberCommand } from '../member/member-commands';
import type { MemberEvent, MemberGrant, OrgRole } from '../member/member-events';
import { BUILT_IN_ROLES, type BuiltInRoleName } from '../permissions';
import { memberActor, ORG } from './fixtures';

export const USER_ID = 'u_alice';
export const ALICE: PrincipalRef = { kind: 'member', id: USER_ID };
export const alice: Actor = memberActor(USER_ID);

export function memberGrant(resource: string, role: BuiltInRoleName): MemberGrant {
  return { resource, role, permissions: [...BUILT_IN_ROLES[role]] };
}

export function memberAdded(
  orgRole: OrgRole = 'member',
  grants = [memberGrant('db:a', 'reader')],
): MemberEvent {
  return {
    type: 'MemberAdded',
    data: { orgId: ORG, userId: USER_ID, displayName: 'Alice', orgRole, grants },
  };
}

export function addMember(
  actor: Actor | null,
  orgRole: OrgRole = 'member',
  grants = [memberGrant('db:a', 'reader')],
): MemberCommand {
  return {
    type: 'AddMember',
    data: { actor, orgId: ORG, userId: USER_ID, displayName: 'Alice', orgRole, grants },
  };
}

export const memberRemoved: MemberEvent = {
  type: 'MemberRemoved',
  data: { orgId: ORG, userId: USER_ID, reason: 'left the company' },
};

export function removeMember(actor: Actor): MemberCommand {
  return { type: 'RemoveMember', data: { actor, reason: 'left the company' } };
}
