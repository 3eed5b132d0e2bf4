import type { Actor, PrincipalRef } from './actor';
import type { DomainCommand, DomainEvent } from './decider';

export type RevocationReason =
  'manual' | 'revoke_all' | 'account_deleted' | 'member_removed' | 'leaked' | 'expired';

// The cascade reasons are the domain's to record (on delete / removal), never a caller's.
export type RequestedRevocationReason = Exclude<
  RevocationReason,
  'account_deleted' | 'member_removed'
>;

export type KeyIssued = DomainEvent<
  'KeyIssued',
  {
    orgId: string;
    keyId: string;
    owner: PrincipalRef;
    name: string;
    description: string;
    keyHash: string;
    hint: string;
    expiresAt: number | null;
  }
>;

export type KeyRevoked = DomainEvent<
  'KeyRevoked',
  { orgId: string; keyId: string; owner: PrincipalRef; reason: RevocationReason }
>;

// docs/product-rules.md rule 10: the old key of a rotation. Appended together with its successor's
// KeyIssued, in one append: the old key now expires at expiresAt (never later than before) and
// successorKeyId is the key that replaces it. docs/decisions/0006-key-rotation-event.md.
export type KeyRotated = DomainEvent<
  'KeyRotated',
  {
    orgId: string;
    keyId: string;
    owner: PrincipalRef;
    successorKeyId: string;
    expiresAt: number;
  }
>;

export type KeyEvent = KeyIssued | KeyRevoked | KeyRotated;

export interface KeyPolicy {
  maxActiveKeysPerPrincipal: number;
  maxKeyLifetimeSeconds: number | null;
}

export type IssueKey = DomainCommand<
  'IssueKey',
  {
    actor: Actor;
    keyId: string;
    keyHash: string;
    hint: string;
    name: string;
    description: string;
    expiresAt: number | null;
    now: number;
    policy: KeyPolicy;
  }
>;

export type RevokeKey = DomainCommand<
  'RevokeKey',
  { actor: Actor; keyId: string; reason: RequestedRevocationReason }
>;

export type RevokeAllKeys = DomainCommand<
  'RevokeAllKeys',
  { actor: Actor; reason: RequestedRevocationReason }
>;

/** The grace period of a rotation when the caller names none: 24 h (docs/product-rules.md rule 10). */
export const DEFAULT_ROTATION_GRACE_SECONDS = 86_400;

// The successor is minted outside the domain like any issued key (keyId, keyHash, hint);
// graceSeconds is how long the old key keeps working (0: it stops at once).
export type RotateKey = DomainCommand<
  'RotateKey',
  {
    actor: Actor;
    keyId: string;
    successorKeyId: string;
    keyHash: string;
    hint: string;
    name: string;
    description: string;
    expiresAt: number | null;
    graceSeconds: number;
    now: number;
    policy: KeyPolicy;
  }
>;

export type KeyCommand = IssueKey | RevokeKey | RevokeAllKeys | RotateKey;
