import type { DomainEvent } from '../decider';
import type { KeyPolicy } from '../key-events';
import type { Permission } from '../permissions';

export interface OrganizationPolicy extends KeyPolicy {
  // null: every role may be given to a service account.
  allowedServiceAccountRoles: string[] | null;
  // How long before a key's expiry its `key.expiring_soon` notice goes out (seconds): null, the
  // deployment's default; 0, no such notice (only `key.expired`).
  expiryNoticeSeconds: number | null;
}

export type OrganizationCreated = DomainEvent<
  'OrganizationCreated',
  { orgId: string; name: string }
>;

export type RoleDefined = DomainEvent<
  'RoleDefined',
  { orgId: string; name: string; permissions: Permission[] }
>;

export type OrganizationPolicySet = DomainEvent<
  'OrganizationPolicySet',
  { orgId: string } & OrganizationPolicy
>;

export type OrganizationEvent = OrganizationCreated | RoleDefined | OrganizationPolicySet;
