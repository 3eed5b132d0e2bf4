/**
 * `verify` and `authorize`: answered by the auth-verifier nodes in one queue group. They need
 * no credential of their own; the credential to check is the body. A bad request is refused
 * with the same codes as on every other subject (`REQUEST.MALFORMED_JSON`,
 * `REQUEST.NOT_AN_OBJECT`, `REQUEST.TOO_LARGE`, `VALIDATION.FAILED` naming each field; see
 * `decodeRequestBody`); a credential that is a string but not a key is not a bad request but
 * the answer `{valid: false, reason: 'malformed'}`.
 */
export const VERIFY_SUBJECTS = {
  verify: 'kw.verify',
  authorize: 'kw.authorize',
} as const;

export const VERIFIER_QUEUE_GROUP = 'keyward-verifier';

export type InvalidReason =
  'malformed' | 'unknown' | 'revoked' | 'expired' | 'account_deleted' | 'unavailable';

export const PERMISSION_NAMES = ['read', 'execute', 'write', 'delete', 'admin'] as const;
export type Permission = (typeof PERMISSION_NAMES)[number];

export const VERIFY_LIMITS = {
  /** Longest `authorization` / `key` string; longer is `VALIDATION.FAILED`. */
  maxCredentialLength: 4096,
} as const;

/**
 * Exactly one of `authorization` or `key`, a string; no other field (`VALIDATION.FAILED`
 * names any missing, doubled, mistyped or unknown field).
 */
export interface VerifyRequest {
  /** An Authorization header value: `Bearer <key>`, a bare key, or `Basic base64(id:key)`. */
  authorization?: string;
  /** Or the key itself. */
  key?: string;
}

export interface VerifiedKey {
  valid: true;
  principal: { kind: 'member' | 'serviceAccount'; id: string };
  orgId: string;
  orgAdmin: boolean;
  /** A service account's one role; null for members, whose role differs per resource. */
  role: string | null;
  /** Every permission the principal holds on some resource. */
  permissions: Permission[];
  resources: string[];
  grants: { resource: string; permissions: Permission[] }[];
  keyId: string;
  /** Epoch seconds, or null for a key that does not expire. */
  expiresAt: number | null;
  /** See `DecidedAt`. */
  position: string | null;
}

/**
 * SPEC rule 13: every verify and authorize answer, valid or not (`malformed` included), carries
 * `position`, the store position the answering node had applied when it decided, as a decimal
 * string (docs/decisions/0004; compare as BigInt). The answer reflects every event up to it.
 * A key found only after the read barrier reports the position after the barrier. Null only
 * while the node has applied nothing (an empty store).
 */
export interface DecidedAt {
  position: string | null;
}

export type VerifyReply = VerifiedKey | ({ valid: false; reason: InvalidReason } & DecidedAt);

/** A `VerifyRequest` plus these two fields, both required; no other field. */
export interface AuthorizeRequest extends VerifyRequest {
  resource: string;
  permission: Permission;
}

export type AuthorizeReply =
  | (VerifiedKey & { allowed: boolean })
  | ({ valid: false; allowed: false; reason: InvalidReason } & DecidedAt);
