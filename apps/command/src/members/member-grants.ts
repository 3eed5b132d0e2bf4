import { resolveRole, type MemberGrant, type Organization } from '@keyward/domain';
import type { GrantRequest } from '@keyward/messaging';

/** Grants carry their role's permissions as resolved now, so a grant never changes meaning. */
export function resolveGrants(organization: Organization, grants: GrantRequest[]): MemberGrant[] {
  const state = { type: 'Existing' as const, data: organization };
  return grants.map(({ resource, role }) => ({
    resource,
    role,
    permissions: resolveRole(state, role),
  }));
}
