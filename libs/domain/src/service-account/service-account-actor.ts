import type { Actor } from '../actor';
import type { ServiceAccountState } from './service-account-state';

// A service account acts with exactly its one role on each of its resources, and is never an
// org admin: it cannot manage members, roles or policy.
export function actorOfServiceAccount(state: ServiceAccountState): Actor | null {
  if (state.type !== 'Active') return null;
  const { orgId, accountId, permissions, resources } = state.data;
  return {
    kind: 'serviceAccount',
    id: accountId,
    orgId,
    orgAdmin: false,
    grants: resources.map((resource) => ({ resource, permissions: [...permissions] })),
  };
}
