import { createHash, randomUUID } from 'node:crypto';

/** A UUID (v4 layout) derived from its parts, so a retried command yields the same ids. */
export function deterministicUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Deterministic when the command carries an idempotency key, random otherwise. */
export function commandScopedUuid(idempotencyKey: string | undefined, ...parts: string[]): string {
  return idempotencyKey === undefined ? randomUUID() : deterministicUuid(idempotencyKey, ...parts);
}
