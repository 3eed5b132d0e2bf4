import type { PrincipalRef } from '../actor';
import type { DomainEvent } from '../decider';
import type { KeyEvent } from '../key-events';
import type { Permission } from '../permissions';

// permissions are the role's as resolved at creation: role and resources never change, and a
// later custom-role definition cannot alter what an existing account may do.
export type ServiceAccountCreated = DomainEvent<
  'ServiceAccountCreated',
  {
    orgId: string;
    accountId: string;
    name: string;
    description: string;
    role: string;
    permissions: Permission[];
    resources: string[];
    enableBasicAuth: boolean;
    createdBy: PrincipalRef;
  }
>;

export type ServiceAccountUpdated = DomainEvent<
  'ServiceAccountUpdated',
  { orgId: string; accountId: string; name?: string; description?: string }
>;

export type ServiceAccountDeleted = DomainEvent<
  'ServiceAccountDeleted',
  { orgId: string; accountId: string; reason: string }
>;

export type ServiceAccountEvent =
  ServiceAccountCreated | ServiceAccountUpdated | ServiceAccountDeleted | KeyEvent;
