import { DomainError } from './domain-error';
import {
  ALL_RESOURCES,
  BUILT_IN_ROLE_NAMES,
  BUILT_IN_ROLES,
  type BuiltInRoleName,
  type Grant,
  type Permission,
  effectivePermissions,
  includesAll,
  missingPermissions,
} from './permissions';

export interface Shortfall {
  resource: string;
  missing: Permission[];
}

export interface LeastPrivilegeDetails {
  shortfalls: Shortfall[];
  highestGrantableRole: BuiltInRoleName | null;
}

export function shortfallsOf(
  required: readonly Permission[],
  grants: readonly Grant[],
  resources: readonly string[],
): Shortfall[] {
  return resources
    .map((resource) => ({
      resource,
      missing: missingPermissions(required, effectivePermissions(grants, resource)),
    }))
    .filter((shortfall) => shortfall.missing.length > 0);
}

export function highestGrantableRole(
  grants: readonly Grant[],
  resources: readonly string[],
): BuiltInRoleName | null {
  const grantable = BUILT_IN_ROLE_NAMES.filter(
    (role) => shortfallsOf(BUILT_IN_ROLES[role], grants, resources).length === 0,
  );
  return grantable.at(-1) ?? null;
}

// Seed 003's create request usually has no resources: the account then gets everything the
// creator could have granted it explicitly. '*' subsumes the rest, so it is returned alone.
export function defaultResources(
  required: readonly Permission[],
  grants: readonly Grant[],
): string[] {
  const qualifies = (resource: string) =>
    includesAll(effectivePermissions(grants, resource), required);
  if (qualifies(ALL_RESOURCES)) return [ALL_RESOURCES];
  const resources = grants.map((grant) => grant.resource).filter(qualifies);
  return [...new Set(resources)];
}

// We refuse rather than silently downgrade (docs/product-rules.md rule 1), so the error has to tell the caller
// exactly what to ask for instead.
export function assertLeastPrivilege(
  role: string,
  required: readonly Permission[],
  grants: readonly Grant[],
  resources: readonly string[],
): void {
  const shortfalls = shortfallsOf(required, grants, resources);
  if (shortfalls.length === 0) return;
  const highest = highestGrantableRole(grants, resources);
  const details: LeastPrivilegeDetails = { shortfalls, highestGrantableRole: highest };
  throw new DomainError('AUTH.LEAST_PRIVILEGE', leastPrivilegeMessage(role, shortfalls, highest), {
    ...details,
  });
}

function leastPrivilegeMessage(
  role: string,
  shortfalls: readonly Shortfall[],
  highest: BuiltInRoleName | null,
): string {
  const lacks = shortfalls
    .map((shortfall) => `${shortfall.missing.join(', ')} on ${shortfall.resource}`)
    .join('; ');
  const advice =
    highest === null
      ? 'you cannot grant any built-in role on these resources'
      : `the highest role you can grant on these resources is ${highest}`;
  return `role ${role} exceeds your own permissions: you lack ${lacks}; ${advice}`;
}
