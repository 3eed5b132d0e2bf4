import type { Actor } from '../actor';
import type { DomainCommand } from '../decider';
import type { KeyCommand } from '../key-events';
import type { OrganizationPolicy } from '../organization/organization-events';
import type { Permission } from '../permissions';

// role null means the default (reader); otherwise rolePermissions is resolveRole's answer
// for it, looked up by the caller in the organization stream.
export type CreateServiceAccount = DomainCommand<
  'CreateServiceAccount',
  {
    actor: Actor;
    accountId: string;
    name: string;
    description: string;
    role: string | null;
    rolePermissions: Permission[] | null;
    resources: string[] | null;
    enableBasicAuth: boolean;
    policy: Pick<OrganizationPolicy, 'allowedServiceAccountRoles'>;
  }
>;

// Deliberately no role or resources: they are fixed at creation (seeds 000/001).
export type UpdateServiceAccount = DomainCommand<
  'UpdateServiceAccount',
  { actor: Actor; name?: string; description?: string }
>;

export type DeleteServiceAccount = DomainCommand<
  'DeleteServiceAccount',
  { actor: Actor; reason: string }
>;

export type ServiceAccountCommand =
  CreateServiceAccount | UpdateServiceAccount | DeleteServiceAccount | KeyCommand;
