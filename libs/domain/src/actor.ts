import { DomainError } from './domain-error';
import type { Grant } from './permissions';

export type PrincipalKind = 'member' | 'serviceAccount';

export interface PrincipalRef {
  kind: PrincipalKind;
  id: string;
}

// Built by the command service from the actor's own stream; the domain trusts it as given.
export interface Actor {
  kind: PrincipalKind;
  id: string;
  orgId: string;
  orgAdmin: boolean;
  grants: Grant[];
}

export function principalOf(actor: Actor): PrincipalRef {
  return { kind: actor.kind, id: actor.id };
}

export function isSamePrincipal(a: PrincipalRef, b: PrincipalRef): boolean {
  return a.kind === b.kind && a.id === b.id;
}

export function describePrincipal(principal: PrincipalRef): string {
  const label = principal.kind === 'member' ? 'member' : 'service account';
  return `${label} ${principal.id}`;
}

// docs/product-rules.md rule 2: a service account manages service accounts only if its own role has admin.
// A service account's grants all carry its one role, so any grant tells us the role.
export function canManageServiceAccounts(actor: Actor): boolean {
  if (actor.kind === 'member') return true;
  return actor.grants.length > 0 && actor.grants.every((g) => g.permissions.includes('admin'));
}

export function requireOrgAdmin(actor: Actor, action: string): void {
  if (actor.orgAdmin) return;
  throw new DomainError(
    'AUTH.FORBIDDEN',
    `${describePrincipal(principalOf(actor))} is not an organization admin and cannot ${action}`,
  );
}
