import type { Actor } from '../actor';
import type { MemberState } from './member-state';

// The actor is built from the member's own stream so authorization never depends on a
// lagging read model. A removed or unknown member cannot act.
export function actorOfMember(state: MemberState): Actor | null {
  if (state.type !== 'Active') return null;
  const { orgId, userId, orgRole, grants } = state.data;
  return {
    kind: 'member',
    id: userId,
    orgId,
    orgAdmin: orgRole === 'admin',
    grants: grants.map(({ resource, permissions }) => ({
      resource,
      permissions: [...permissions],
    })),
  };
}
