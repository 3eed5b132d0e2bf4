/**
 * `verify` and `authorize`: answered by the auth-verifier nodes in one queue group. They need
 * no credential of their own; the credential to check is the body.
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
}

export type VerifyReply = VerifiedKey | { valid: false; reason: InvalidReason };

export interface AuthorizeRequest extends VerifyRequest {
  resource: string;
  permission: Permission;
}

export type AuthorizeReply =
  (VerifiedKey & { allowed: boolean }) | { valid: false; allowed: false; reason: InvalidReason };
