import type { RoleView, VerifiedKey } from '../api/types';

/**
 * What the signed-in principal may grant (SPEC §1 rule 1), computed as the command service
 * decides it: a role fits the chosen resources when its permissions are within the caller's
 * own on every one of them, where the caller's permissions on a resource are those of its
 * grants on that resource and on `*`. The API decides; this only explains beforehand.
 */
export function permissionsOn(identity: VerifiedKey, resource: string): Set<string> {
  const held = new Set<string>();
  for (const grant of identity.grants) {
    if (grant.resource === '*' || grant.resource === resource)
      for (const p of grant.permissions) held.add(p);
  }
  return held;
}

export interface RoleFit {
  role: RoleView;
  /** The chosen resources on which the caller lacks part of the role. */
  shortOn: string[];
}

export function roleFits(identity: VerifiedKey, roles: RoleView[], resources: string[]): RoleFit[] {
  return roles.map((role) => ({
    role,
    shortOn: resources.filter((resource) => {
      const held = permissionsOn(identity, resource);
      return !role.permissions.every((permission) => held.has(permission));
    }),
  }));
}

/** The resources a create request without `resources` would get (rule 9), for the hint. */
export function defaultResourcesFor(identity: VerifiedKey, role: RoleView | undefined): string[] {
  if (!role) return [];
  const qualifies = (resource: string) =>
    role.permissions.every((p) => permissionsOn(identity, resource).has(p));
  if (qualifies('*')) return ['*'];
  return [...new Set(identity.grants.map((grant) => grant.resource).filter(qualifies))];
}

/** Resources typed as a comma-, space- or line-separated list. */
export function parseResources(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}
