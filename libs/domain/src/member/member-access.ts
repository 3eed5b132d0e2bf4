import { describePrincipal, principalOf, type Actor } from '../actor';
import { DomainError } from '../domain-error';
import type { KeyOwner } from '../key-ring';
import type { MemberGrant } from './member-events';
import type { Member, MemberState } from './member-state';

export type KnownMember = Exclude<MemberState, { type: 'Missing' }>;

// Another org's member answers exactly like a missing one: existence never leaks.
export function knownMember(actor: Actor, state: MemberState): KnownMember {
  if (state.type === 'Missing' || state.data.orgId !== actor.orgId) {
    throw new DomainError('MEMBER.NOT_FOUND', 'member was not found');
  }
  return state;
}

export function activeMember(actor: Actor, state: MemberState): Member {
  const known = knownMember(actor, state);
  if (known.type === 'Removed') {
    throw new DomainError('MEMBER.REMOVED', `member ${known.data.userId} was removed`);
  }
  return known.data;
}

export function isSelf(actor: Actor, member: Member): boolean {
  return actor.kind === 'member' && actor.id === member.userId;
}

export function requireSelfOrOrgAdmin(actor: Actor, member: Member, action: string): void {
  if (isSelf(actor, member) || actor.orgAdmin) return;
  throw forbidden(actor, member, action);
}

export function keyOwnerOf(member: Member): KeyOwner {
  return { orgId: member.orgId, owner: { kind: 'member', id: member.userId } };
}

// A member holds one role per resource (docs/product-rules.md), so two grants on one resource are ambiguous.
export function assertOneGrantPerResource(grants: readonly MemberGrant[]): void {
  const seen = new Set<string>();
  for (const { resource } of grants) {
    if (seen.has(resource)) {
      throw new DomainError('MEMBER.DUPLICATE_GRANT', `resource ${resource} is granted twice`, {
        resource,
      });
    }
    seen.add(resource);
  }
}

function forbidden(actor: Actor, member: Member, action: string): DomainError {
  return new DomainError(
    'AUTH.FORBIDDEN',
    `${describePrincipal(principalOf(actor))} may not ${action} of member ${member.userId}`,
  );
}
