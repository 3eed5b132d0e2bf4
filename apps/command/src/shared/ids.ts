import { commandScopedUuid } from '../pipeline/deterministic-id';

export type IdKind = 'sa' | 'key' | 'org';

/** `sa_…`/`key_…` ids: 128 bits, and the same on a retry that carries the same idempotency key. */
export function newId(kind: IdKind, idempotencyKey: string | undefined, scope: string): string {
  return `${kind}_${commandScopedUuid(idempotencyKey, kind, scope).replace(/-/g, '')}`;
}

export const ID_PATTERNS = {
  orgId: /^[a-z0-9][a-z0-9-]{0,62}$/,
  userId: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
  accountId: /^sa_[0-9a-f]{32}$/,
  keyId: /^key_[0-9a-f]{32}$/,
  roleName: /^[a-z][a-z0-9_-]{0,39}$/,
  resource: /^(\*|[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,199})$/,
} as const;
