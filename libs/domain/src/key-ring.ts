import { describePrincipal, type PrincipalRef } from './actor';
import { DomainError } from './domain-error';
import type {
  IssueKey,
  KeyEvent,
  KeyIssued,
  KeyPolicy,
  KeyRevoked,
  KeyRotated,
  RevocationReason,
  RotateKey,
} from './key-events';

// The hash stays in the event only: no decision needs it, and state is kept in memory.
export interface ApiKey {
  keyId: string;
  name: string;
  description: string;
  hint: string;
  expiresAt: number | null;
  revokedReason: RevocationReason | null;
  /** The key that replaced this one in a rotation (docs/product-rules.md rule 10); null until then. */
  successorKeyId: string | null;
}

export type KeyRing = ReadonlyMap<string, ApiKey>;

export const EMPTY_KEY_RING: KeyRing = new Map();

export interface KeyOwner {
  orgId: string;
  owner: PrincipalRef;
}

// docs/product-rules.md rule 7: a key is dead from the first millisecond past its expiry, so expiresAt === now
// already counts as expired.
export function isKeyActive(
  key: Pick<ApiKey, 'revokedReason' | 'expiresAt'>,
  now: number,
): boolean {
  return key.revokedReason === null && (key.expiresAt === null || key.expiresAt > now);
}

export function activeKeyCount(ring: KeyRing, now: number): number {
  let count = 0;
  for (const key of ring.values()) if (isKeyActive(key, now)) count += 1;
  return count;
}

export function evolveKeyRing(ring: KeyRing, event: KeyEvent): KeyRing {
  switch (event.type) {
    case 'KeyIssued': {
      const { keyId, name, description, hint, expiresAt } = event.data;
      const key: ApiKey = {
        keyId,
        name,
        description,
        hint,
        expiresAt,
        revokedReason: null,
        successorKeyId: null,
      };
      return new Map(ring).set(keyId, key);
    }
    case 'KeyRotated': {
      const key = ring.get(event.data.keyId);
      if (key === undefined) return ring;
      const { expiresAt, successorKeyId } = event.data;
      return new Map(ring).set(key.keyId, { ...key, expiresAt, successorKeyId });
    }
    case 'KeyRevoked': {
      const key = ring.get(event.data.keyId);
      if (key === undefined || key.revokedReason !== null) return ring;
      return new Map(ring).set(key.keyId, { ...key, revokedReason: event.data.reason });
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function issueKey(ring: KeyRing, owner: KeyOwner, command: IssueKey['data']): KeyIssued[] {
  const { keyId, keyHash, hint, name, description, now, policy } = command;
  if (ring.has(keyId)) {
    throw new DomainError(
      'KEY.ALREADY_EXISTS',
      `key ${keyId} of ${describePrincipal(owner.owner)} already exists`,
    );
  }
  const expiresAt = effectiveExpiry(command.expiresAt, now, policy);
  assertBelowKeyLimit(ring, owner.owner, now, policy);
  const data = { orgId: owner.orgId, keyId, owner: owner.owner, name, description };
  return [{ type: 'KeyIssued', data: { ...data, keyHash, hint, expiresAt } }];
}

/**
 * docs/product-rules.md rule 10, in one append: the successor's KeyIssued (same rules as issuing
 * a key) and the old key's KeyRotated with its new expiry. The old key expires at now + grace,
 * never beyond now + the organization's maximum key lifetime and never after its current expiry:
 * a rotation never lengthens a key's life. The cap on active keys does not count the key being
 * rotated (the successor takes its place), but does count every other active key, including
 * one still in the grace of an earlier rotation.
 */
export function rotateKey(
  ring: KeyRing,
  owner: KeyOwner,
  command: RotateKey['data'],
): [KeyIssued, KeyRotated] {
  const { keyId, successorKeyId, keyHash, hint, name, description, graceSeconds, now, policy } =
    command;
  const old = rotatableKey(ring, owner, keyId, now);
  if (!Number.isSafeInteger(graceSeconds) || graceSeconds < 0) {
    throw new DomainError(
      'KEY.INVALID_GRACE',
      `grace period ${graceSeconds} is not a whole number of seconds, 0 or more`,
    );
  }
  if (ring.has(successorKeyId)) {
    throw new DomainError(
      'KEY.ALREADY_EXISTS',
      `key ${successorKeyId} of ${describePrincipal(owner.owner)} already exists`,
    );
  }
  const successorExpiresAt = effectiveExpiry(command.expiresAt, now, policy);
  const others = new Map(ring);
  others.delete(keyId);
  assertBelowKeyLimit(others, owner.owner, now, policy);
  const data = { orgId: owner.orgId, keyId: successorKeyId, owner: owner.owner, name, description };
  return [
    { type: 'KeyIssued', data: { ...data, keyHash, hint, expiresAt: successorExpiresAt } },
    {
      type: 'KeyRotated',
      data: {
        orgId: owner.orgId,
        keyId,
        owner: owner.owner,
        successorKeyId,
        expiresAt: graceEnd(old, graceSeconds, now, policy),
      },
    },
  ];
}

function rotatableKey(ring: KeyRing, owner: KeyOwner, keyId: string, now: number): ApiKey {
  const key = ring.get(keyId);
  const whose = `key ${keyId} of ${describePrincipal(owner.owner)}`;
  if (key === undefined) throw new DomainError('KEY.NOT_FOUND', `${whose} was not found`);
  if (key.revokedReason !== null) {
    throw new DomainError('KEY.REVOKED', `${whose} is revoked and cannot be rotated`, {
      reason: key.revokedReason,
    });
  }
  if (!isKeyActive(key, now)) {
    throw new DomainError('KEY.EXPIRED', `${whose} has expired and cannot be rotated`);
  }
  if (key.successorKeyId !== null) {
    throw new DomainError(
      'KEY.ALREADY_ROTATED',
      `${whose} was already rotated; its successor is ${key.successorKeyId}`,
      { successorKeyId: key.successorKeyId },
    );
  }
  return key;
}

function graceEnd(key: ApiKey, graceSeconds: number, now: number, policy: KeyPolicy): number {
  let end = now + graceSeconds * 1000;
  if (policy.maxKeyLifetimeSeconds !== null) {
    end = Math.min(end, now + policy.maxKeyLifetimeSeconds * 1000);
  }
  if (key.expiresAt !== null) end = Math.min(end, key.expiresAt);
  return end;
}

function effectiveExpiry(requested: number | null, now: number, policy: KeyPolicy): number | null {
  if (requested !== null && requested <= now) {
    throw new DomainError('KEY.EXPIRY_IN_PAST', `expiry ${requested} is not after now (${now})`);
  }
  if (policy.maxKeyLifetimeSeconds === null) return requested;
  const latest = now + policy.maxKeyLifetimeSeconds * 1000;
  if (requested === null) return latest;
  if (requested > latest) {
    throw new DomainError(
      'KEY.LIFETIME_EXCEEDS_POLICY',
      `expiry ${requested} is beyond the organization's maximum key lifetime of ${policy.maxKeyLifetimeSeconds} seconds (latest allowed: ${latest})`,
      { maxKeyLifetimeSeconds: policy.maxKeyLifetimeSeconds, latestExpiresAt: latest },
    );
  }
  return requested;
}

function assertBelowKeyLimit(ring: KeyRing, owner: PrincipalRef, now: number, policy: KeyPolicy) {
  const limit = policy.maxActiveKeysPerPrincipal;
  if (activeKeyCount(ring, now) < limit) return;
  throw new DomainError(
    'KEY.LIMIT_REACHED',
    `${describePrincipal(owner)} already has ${limit} active keys, the organization's limit`,
    { limit },
  );
}

// Revocation must be safe to retry (G1: a client that lost the reply revokes again).
export function revokeKey(
  ring: KeyRing,
  owner: KeyOwner,
  keyId: string,
  reason: RevocationReason,
): KeyRevoked[] {
  const key = ring.get(keyId);
  if (key === undefined) {
    throw new DomainError(
      'KEY.NOT_FOUND',
      `key ${keyId} of ${describePrincipal(owner.owner)} was not found`,
    );
  }
  if (key.revokedReason !== null) return [];
  return [revoked(owner, keyId, reason)];
}

// Expired keys are revoked too: the record then says why the key can never come back.
export function revokeAllKeys(
  ring: KeyRing,
  owner: KeyOwner,
  reason: RevocationReason,
): KeyRevoked[] {
  return [...ring.values()]
    .filter((key) => key.revokedReason === null)
    .map((key) => revoked(owner, key.keyId, reason));
}

function revoked(owner: KeyOwner, keyId: string, reason: RevocationReason): KeyRevoked {
  return { type: 'KeyRevoked', data: { orgId: owner.orgId, keyId, owner: owner.owner, reason } };
}
