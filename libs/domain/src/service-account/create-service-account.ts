import { describePrincipal, canManageServiceAccounts, principalOf, type Actor } from '../actor';
import { DomainError } from '../domain-error';
import { assertLeastPrivilege, defaultResources } from '../least-privilege';
import {
  DEFAULT_SERVICE_ACCOUNT_ROLE,
  builtInRolePermissions,
  isBuiltInRole,
  normalizePermissions,
  type Permission,
} from '../permissions';
import type { CreateServiceAccount } from './service-account-commands';
import type { ServiceAccountEvent } from './service-account-events';
import type { ServiceAccountState } from './service-account-state';

type CreateData = CreateServiceAccount['data'];

export function createServiceAccount(
  command: CreateServiceAccount,
  state: ServiceAccountState,
): ServiceAccountEvent[] {
  const { actor, accountId, name, description, enableBasicAuth } = command.data;
  if (state.type !== 'Missing') {
    throw new DomainError(
      'SERVICE_ACCOUNT.ALREADY_EXISTS',
      `service account ${accountId} already exists`,
    );
  }
  requireCreator(actor);
  const { role, permissions } = requestedRole(command.data);
  assertRoleAllowed(role, command.data.policy.allowedServiceAccountRoles);
  const resources = requestedResources(command.data, permissions);
  assertLeastPrivilege(role, permissions, actor.grants, resources);
  const account = { orgId: actor.orgId, accountId, name, description, role, permissions };
  const createdBy = principalOf(actor);
  return [
    { type: 'ServiceAccountCreated', data: { ...account, resources, enableBasicAuth, createdBy } },
  ];
}

function requireCreator(actor: Actor): void {
  if (canManageServiceAccounts(actor)) return;
  throw new DomainError(
    'AUTH.FORBIDDEN',
    `${describePrincipal(principalOf(actor))} has no admin permission in its own role and cannot create service accounts`,
  );
}

// Built-in roles are taken from the domain's own table, so only custom roles depend on the
// caller having resolved them.
function requestedRole(data: CreateData): { role: string; permissions: Permission[] } {
  const role = data.role ?? DEFAULT_SERVICE_ACCOUNT_ROLE;
  if (isBuiltInRole(role)) return { role, permissions: builtInRolePermissions(role) };
  if (data.rolePermissions === null) {
    throw new DomainError('ROLE.UNKNOWN', `role ${role} is not defined in this organization`, {
      role,
    });
  }
  const permissions = normalizePermissions(data.rolePermissions);
  if (permissions.length === 0) {
    throw new DomainError('ROLE.EMPTY_PERMISSIONS', `role ${role} has no permissions`);
  }
  return { role, permissions };
}

function assertRoleAllowed(role: string, allowed: readonly string[] | null): void {
  if (allowed === null || allowed.includes(role)) return;
  throw new DomainError(
    'ROLE.NOT_ALLOWED_FOR_SERVICE_ACCOUNTS',
    `role ${role} may not be given to service accounts in this organization`,
    { role, allowedServiceAccountRoles: [...allowed] },
  );
}

function requestedResources(data: CreateData, permissions: readonly Permission[]): string[] {
  const resources =
    data.resources === null
      ? defaultResources(permissions, data.actor.grants)
      : [...new Set(data.resources)];
  if (resources.length > 0) return resources;
  const why =
    data.resources === null
      ? `you hold role ${data.role ?? DEFAULT_SERVICE_ACCOUNT_ROLE}'s permissions on no resource`
      : 'no resources were given';
  throw new DomainError(
    'SERVICE_ACCOUNT.NO_RESOURCES',
    `service account ${data.accountId} would have no resources: ${why}`,
  );
}
