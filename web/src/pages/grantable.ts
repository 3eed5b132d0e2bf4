import { defaultResources, shortfallsOf } from '../../../libs/domain/src/least-privilege';
import type { Permission } from '../../../libs/domain/src/permissions';
import type { RoleView, VerifiedKey } from '../api/types';

/**
 * What the signed-in principal may grant (SPEC §1 rule 1), computed by the domain's own
 * least-privilege functions (libs/domain/src/least-privilege.ts), so the hint cannot drift from
 * what the command service decides: a role fits the chosen resources when its permissions are
 * within the caller's own (grants on each resource and on `*`) on every one of them. The API
 * decides; this only explains beforehand.
 */
export interface RoleFit {
  role: RoleView;
  /** The chosen resources on which the caller lacks part of the role. */
  shortOn: string[];
}

const permissionsOf = (role: RoleView) => role.permissions as Permission[];

export function roleFits(identity: VerifiedKey, roles: RoleView[], resources: string[]): RoleFit[] {
  return roles.map((role) => ({
    role,
    shortOn: shortfallsOf(permissionsOf(role), identity.grants, resources).map((s) => s.resource),
  }));
}

/** The resources a create request without `resources` would get (rule 9), for the hint. */
export function defaultResourcesFor(identity: VerifiedKey, role: RoleView | undefined): string[] {
  return role ? defaultResources(permissionsOf(role), identity.grants) : [];
}

/** Resources typed as a comma-, space- or line-separated list. */
export function parseResources(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}
