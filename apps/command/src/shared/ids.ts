import { commandScopedUuid } from '../pipeline/deterministic-id';

export type IdKind = 'sa' | 'key' | 'org' | 'whe';

/** `sa_…`/`key_…`/`whe_…` ids: 128 bits, and the same on a retry that carries the same idempotency key. */
export function newId(kind: IdKind, idempotencyKey: string | undefined, scope: string): string {
  return `${kind}_${commandScopedUuid(idempotencyKey, kind, scope).replace(/-/g, '')}`;
}
