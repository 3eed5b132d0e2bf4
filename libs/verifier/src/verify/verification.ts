import { effectivePermissions, isPermission, type Permission } from '@keyward/domain';
import { extractCredential, parseApiKey } from '@keyward/keys';
import type { InvalidReason } from '@keyward/messaging';
import type { Freshness } from '../freshness/freshness';
import {
  digestOfKey,
  keyIdOf,
  revocationOf,
  type IndexedKey,
  type KeyIndex,
} from '../key-index/key-index';
import type { RevocationFences } from '../propagation/revocation-fences';

export type Outcome =
  { valid: true; key: IndexedKey } | { valid: false; reason: InvalidReason; key?: IndexedKey };

const MALFORMED: Outcome = Object.freeze({ valid: false, reason: 'malformed' });
const UNAVAILABLE: Outcome = Object.freeze({ valid: false, reason: 'unavailable' });
const UNKNOWN: Outcome = Object.freeze({ valid: false, reason: 'unknown' });

/**
 * Decides one credential against the index: malformed before any hash or lookup, unavailable
 * while the node cannot prove it is caught up (G2), then the key's own state. Reasons and their
 * order match the command service's authenticator.
 */
export class Verifier {
  constructor(
    private readonly index: KeyIndex,
    private readonly freshness: Freshness,
    private readonly fences: RevocationFences,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** `value` is an Authorization header value, or with `bareKey` the key itself. */
  verify(value: unknown, bareKey = false): Outcome {
    if (typeof value !== 'string') return MALFORMED;
    let key = value;
    let username: string | undefined;
    if (!bareKey) {
      const credential = extractCredential(value);
      if (credential.kind === 'none') return MALFORMED;
      key = credential.key;
      if (credential.kind === 'basic') username = credential.username;
    }
    if (!parseApiKey(key).ok) return MALFORMED;
    if (!this.freshness.isServing()) return UNAVAILABLE;
    const found = this.index.lookup(digestOfKey(key));
    if (!found) return UNKNOWN;
    if (!this.fences.isEmpty && this.fences.blocks(keyIdOf(found)))
      return { valid: false, reason: 'unavailable', key: found };
    return this.check(found, username);
  }

  private check(key: IndexedKey, username: string | undefined): Outcome {
    const { owner } = key;
    const revoked = revocationOf(key);
    if (owner.status === 'deleted' || revoked === 'account_deleted') {
      return { valid: false, reason: 'account_deleted', key };
    }
    if (revoked !== null || owner.status !== 'active') {
      return { valid: false, reason: 'revoked', key };
    }
    // docs/product-rules.md rule 7: dead from the first millisecond past expiry, so expiresAt === now is expired.
    if (key.expiresAt !== null && key.expiresAt <= this.wallClock()) {
      return { valid: false, reason: 'expired', key };
    }
    if (username !== undefined && (!owner.basicAuth || username !== owner.id)) {
      return { valid: false, reason: 'unknown', key };
    }
    return { valid: true, key };
  }
}

export function isAllowed(key: IndexedKey, resource: unknown, permission: unknown): boolean {
  if (typeof resource !== 'string' || typeof permission !== 'string') return false;
  if (!isPermission(permission)) return false;
  return effectivePermissions(key.owner.grants, resource).includes(permission as Permission);
}

/** The VerifyReply body as JSON, built from the owner's pre-serialized part. */
export function verifiedJson(key: IndexedKey, allowed?: boolean): string {
  const expiresAt = key.expiresAt === null ? 'null' : String(Math.floor(key.expiresAt / 1000));
  const allowedPart = allowed === undefined ? '' : `,"allowed":${allowed}`;
  return `${key.owner.replyPrefix},"keyId":"${keyIdOf(key)}","expiresAt":${expiresAt}${allowedPart}}`;
}
