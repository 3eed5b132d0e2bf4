import type { DomainEvent } from '../decider';
import type { KeyEvent } from '../key-events';
import type { Permission } from '../permissions';

export type OrgRole = 'admin' | 'member';

// The role name is kept for display; permissions are what it meant when granted, so a grant
// never changes meaning behind the member's back.
export interface MemberGrant {
  resource: string;
  role: string;
  permissions: Permission[];
}

export type MemberAdded = DomainEvent<
  'MemberAdded',
  { orgId: string; userId: string; displayName: string; orgRole: OrgRole; grants: MemberGrant[] }
>;

export type MemberGrantsChanged = DomainEvent<
  'MemberGrantsChanged',
  { orgId: string; userId: string; orgRole: OrgRole; grants: MemberGrant[] }
>;

export type MemberRemoved = DomainEvent<
  'MemberRemoved',
  { orgId: string; userId: string; reason: string }
>;

export type MemberEvent = MemberAdded | MemberGrantsChanged | MemberRemoved | KeyEvent;
