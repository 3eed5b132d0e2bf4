import {
  describePrincipal,
  isSamePrincipal,
  canManageServiceAccounts,
  principalOf,
  type Actor,
} from '../actor';
import { DomainError } from '../domain-error';
import type { KeyOwner } from '../key-ring';
import { hasPermissionOnAll } from '../permissions';
import type {
  KnownServiceAccount,
  ServiceAccount,
  ServiceAccountState,
} from './service-account-state';

// Another org's account answers exactly like a missing one: existence never leaks.
export function knownAccount(actor: Actor, state: ServiceAccountState): KnownServiceAccount {
  if (state.type === 'Missing' || state.data.orgId !== actor.orgId) {
    throw new DomainError('SERVICE_ACCOUNT.NOT_FOUND', 'service account was not found');
  }
  return state;
}

export function activeAccount(actor: Actor, state: ServiceAccountState): ServiceAccount {
  const known = knownAccount(actor, state);
  if (known.type === 'Deleted') {
    throw new DomainError(
      'SERVICE_ACCOUNT.DELETED',
      `service account ${known.data.accountId} was deleted`,
    );
  }
  return known.data;
}

// Org admins, the creator, and whoever holds admin on everything the account can reach; a
// service account acting must also have admin in its own role (docs/product-rules.md rule 2).
export function mayManageServiceAccount(actor: Actor, account: ServiceAccount): boolean {
  if (!canManageServiceAccounts(actor)) return false;
  return (
    actor.orgAdmin ||
    isSamePrincipal(principalOf(actor), account.createdBy) ||
    hasPermissionOnAll(actor.grants, 'admin', account.resources)
  );
}

export function requireManagement(actor: Actor, account: ServiceAccount, action: string): void {
  if (mayManageServiceAccount(actor, account)) return;
  throw new DomainError(
    'AUTH.FORBIDDEN',
    `${describePrincipal(principalOf(actor))} may not ${action} service account ${account.accountId}`,
  );
}

export function keyOwnerOf(account: ServiceAccount): KeyOwner {
  return { orgId: account.orgId, owner: { kind: 'serviceAccount', id: account.accountId } };
}
