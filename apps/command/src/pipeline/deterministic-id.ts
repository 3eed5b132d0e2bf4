import { createHash, randomUUID } from 'node:crypto';

/**
 * A UUIDv8 (RFC 9562 §5.8) made as in the RFC's name-based SHA-256 example (Appendix B.2): the
 * first 128 bits of the SHA-256 of `name`, version nibble 8, variant bits 0b10. Version 8 says
 * "layout of our own", which is the truth here: version 4 claims 122 random bits, and version 5
 * would mean SHA-1 over a namespace UUID and a name. v8 keeps SHA-256, so an id is the same
 * hash as before this was v8, apart from its version nibble.
 */
export function sha256Uuid(name: string | Uint8Array): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A UUIDv8 derived from its parts, so a retried command yields the same ids. */
export function deterministicUuid(...parts: string[]): string {
  return sha256Uuid(parts.join('\u0000'));
}

/** Deterministic when the command carries an idempotency key, random otherwise. */
export function commandScopedUuid(idempotencyKey: string | undefined, ...parts: string[]): string {
  return idempotencyKey === undefined ? randomUUID() : deterministicUuid(idempotencyKey, ...parts);
}
