// Listed in canonical order: normalized permission sets always come out in this order, so
// events and read models compare equal regardless of how a request spelled them.
export const PERMISSIONS = ['read', 'execute', 'write', 'delete', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

// Lowest first: "highest grantable role" walks this list from the end.
export const BUILT_IN_ROLE_NAMES = ['reader', 'executor', 'writer', 'admin'] as const;
export type BuiltInRoleName = (typeof BUILT_IN_ROLE_NAMES)[number];

export const BUILT_IN_ROLES: Readonly<Record<BuiltInRoleName, readonly Permission[]>> = {
  reader: ['read'],
  executor: ['read', 'execute'],
  writer: ['read', 'execute', 'write', 'delete'],
  admin: ['read', 'execute', 'write', 'delete', 'admin'],
};

export const DEFAULT_SERVICE_ACCOUNT_ROLE: BuiltInRoleName = 'reader';

export const ALL_RESOURCES = '*';

export interface Grant {
  resource: string;
  permissions: Permission[];
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function isBuiltInRole(name: string): name is BuiltInRoleName {
  return (BUILT_IN_ROLE_NAMES as readonly string[]).includes(name);
}

export function builtInRolePermissions(name: BuiltInRoleName): Permission[] {
  return [...BUILT_IN_ROLES[name]];
}

export function normalizePermissions(permissions: readonly Permission[]): Permission[] {
  return PERMISSIONS.filter((permission) => permissions.includes(permission));
}

// A grant on '*' applies to every resource; asking about '*' itself therefore only counts
// grants on '*' (a grant on one database says nothing about all of them).
export function effectivePermissions(grants: readonly Grant[], resource: string): Permission[] {
  const applicable = grants.filter(
    (grant) => grant.resource === resource || grant.resource === ALL_RESOURCES,
  );
  return normalizePermissions(applicable.flatMap((grant) => grant.permissions));
}

export function missingPermissions(
  required: readonly Permission[],
  held: readonly Permission[],
): Permission[] {
  return normalizePermissions(required.filter((permission) => !held.includes(permission)));
}

export function includesAll(held: readonly Permission[], required: readonly Permission[]): boolean {
  return missingPermissions(required, held).length === 0;
}

export function hasPermissionOnAll(
  grants: readonly Grant[],
  permission: Permission,
  resources: readonly string[],
): boolean {
  return resources.every((resource) => effectivePermissions(grants, resource).includes(permission));
}
