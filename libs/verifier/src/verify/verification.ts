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

/**
 * A decision, with the store position the node had applied when it made it (SPEC rule 13): a
 * decimal string (docs/decisions/0004), read in the same synchronous step as the index lookup,
 * so the answer reflects every event up to it and none after. Null only while the node has
 * applied nothing (an empty store).
 */
export type Outcome =
  | { valid: true; key: IndexedKey; position: string | null }
  | { valid: false; reason: InvalidReason; key?: IndexedKey; position: string | null };

/** Refusals that name no key, the same for every request at one position. */
type KeylessReason = 'malformed' | 'unavailable' | 'unknown';

/** The keyless refusals at one applied position, made once per position, not per request. */
interface Refusals {
  position: string | null;
  malformed: Outcome;
  unavailable: Outcome;
  unknown: Outcome;
}

function refusalsAt(position: string | null): Refusals {
  const at = (reason: KeylessReason): Outcome =>
    Object.freeze({ valid: false as const, reason, position });
  return {
    position,
    malformed: at('malformed'),
    unavailable: at('unavailable'),
    unknown: at('unknown'),
  };
}

/**
 * Decides one credential against the index: malformed before any hash or lookup, unavailable
 * while the node cannot prove it is caught up (G2), then the key's own state. Reasons and their
 * order match the command service's authenticator. Every outcome carries the node's applied
 * position at the decision; a malformed credential too (it is malformed at any position, and
 * one field that is always there is simpler for callers than a null for one reason).
 */
export class Verifier {
  private refusals: Refusals = refusalsAt(null);

  constructor(
    private readonly index: KeyIndex,
    private readonly freshness: Freshness,
    private readonly fences: RevocationFences,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** `value` is an Authorization header value, or with `bareKey` the key itself. */
  verify(value: unknown, bareKey = false): Outcome {
    const position = this.freshness.appliedPositionText;
    if (typeof value !== 'string') return this.refused('malformed', position);
    let key = value;
    let username: string | undefined;
    if (!bareKey) {
      const credential = extractCredential(value);
      if (credential.kind === 'none') return this.refused('malformed', position);
      key = credential.key;
      if (credential.kind === 'basic') username = credential.username;
    }
    if (!parseApiKey(key).ok) return this.refused('malformed', position);
    if (!this.freshness.isServing()) return this.refused('unavailable', position);
    const found = this.index.lookup(digestOfKey(key));
    if (!found) return this.refused('unknown', position);
    if (!this.fences.isEmpty && this.fences.blocks(keyIdOf(found)))
      return { valid: false, reason: 'unavailable', key: found, position };
    return this.check(found, username, position);
  }

  /** `unavailable` at the node's applied position, for a node that is not answering. */
  unavailable(): Outcome {
    return this.refused('unavailable', this.freshness.appliedPositionText);
  }

  private refused(reason: KeylessReason, position: string | null): Outcome {
    if (this.refusals.position !== position) this.refusals = refusalsAt(position);
    return this.refusals[reason];
  }

  private check(key: IndexedKey, username: string | undefined, position: string | null): Outcome {
    const { owner } = key;
    const revoked = revocationOf(key);
    if (owner.status === 'deleted' || revoked === 'account_deleted') {
      return { valid: false, reason: 'account_deleted', key, position };
    }
    if (revoked !== null || owner.status !== 'active') {
      return { valid: false, reason: 'revoked', key, position };
    }
    // docs/product-rules.md rule 7: dead from the first millisecond past expiry, so expiresAt === now is expired.
    if (key.expiresAt !== null && key.expiresAt <= this.wallClock()) {
      return { valid: false, reason: 'expired', key, position };
    }
    if (username !== undefined && (!owner.basicAuth || username !== owner.id)) {
      return { valid: false, reason: 'unknown', key, position };
    }
    return { valid: true, key, position };
  }
}

export function isAllowed(key: IndexedKey, resource: unknown, permission: unknown): boolean {
  if (typeof resource !== 'string' || typeof permission !== 'string') return false;
  if (!isPermission(permission)) return false;
  return effectivePermissions(key.owner.grants, resource).includes(permission as Permission);
}

/** `"position":"…"` (or `null`) as it goes into a reply's JSON. */
export function positionJson(position: string | null): string {
  return position === null ? '"position":null' : `"position":"${position}"`;
}

/** The VerifyReply body as JSON, built from the owner's pre-serialized part. */
export function verifiedJson(key: IndexedKey, position: string | null, allowed?: boolean): string {
  const expiresAt = key.expiresAt === null ? 'null' : String(Math.floor(key.expiresAt / 1000));
  const allowedPart = allowed === undefined ? '' : `,"allowed":${allowed}`;
  return `${key.owner.replyPrefix},"keyId":"${keyIdOf(key)}","expiresAt":${expiresAt}${allowedPart},${positionJson(position)}}`;
}

/** The refusal's VerifyReply / AuthorizeReply body as JSON. */
export function invalidJson(
  reason: InvalidReason,
  position: string | null,
  authorize: boolean,
): string {
  const allowed = authorize ? '"allowed":false,' : '';
  return `{"valid":false,${allowed}"reason":"${reason}",${positionJson(position)}}`;
}
