import * as crypto from 'node:crypto';
import {
  assertNever,
  type KeyIssued,
  type KeyRevoked,
  type KeyRotated,
  type KeywardEvent,
  type MemberAdded,
  type MemberGrantsChanged,
  type Permission,
  type PrincipalKind,
  type RevocationReason,
  type ServiceAccountCreated,
} from '@keyward/domain';

/** Everything keys of one principal share; members' grants change in place. */
export interface Owner {
  kind: PrincipalKind;
  id: string;
  orgId: string;
  orgAdmin: boolean;
  role: string | null;
  grants: { resource: string; permissions: Permission[] }[];
  permissions: Permission[];
  basicAuth: boolean;
  status: 'active' | 'deleted' | 'removed';
  /** Revoked keys by compact id: KeyRevoked names a key by owner and id, not by hash. */
  revoked: Map<string, RevocationReason> | null;
  /**
   * New expiries of rotated keys by compact id, not yet applied to their key: KeyRotated names a
   * key by owner and id, and the key's object takes it at its next lookup (docs/product-rules.md rule 10).
   */
  rotated: Map<string, number> | null;
  /** The reply's principal part, serialized once per change rather than once per verify. */
  replyPrefix: string;
}

/*
 * One small object per key, pointing at its shared owner: the index of a million keys must fit
 * in 200 bytes each (README: Benchmarks). The map key is the SHA-256 digest as a 32-character latin1
 * string and the key id its 16 bytes, each half the size of the hex form; revocations live
 * on the owner, so an active key carries no field for them.
 */
export interface IndexedKey {
  /** Compact: see compactKeyId. */
  readonly keyId: string;
  readonly owner: Owner;
  /** Epoch ms, or null for a key that never expires. */
  readonly expiresAt: number | null;
}

const KEY_ID = /^key_[0-9a-f]{32}$/;
const COMPACT_KEY_ID_LENGTH = 16;

export function compactKeyId(keyId: string): string {
  return KEY_ID.test(keyId) ? Buffer.from(keyId.slice(4), 'hex').toString('latin1') : keyId;
}

export function keyIdOf(key: IndexedKey): string {
  return key.keyId.length === COMPACT_KEY_ID_LENGTH
    ? `key_${Buffer.from(key.keyId, 'latin1').toString('hex')}`
    : key.keyId;
}

export function revocationOf(key: IndexedKey): RevocationReason | null {
  return key.owner.revoked?.get(key.keyId) ?? null;
}

// Node ≥ 20.12's one-shot hash is about three times faster than createHash for a key-sized
// input; @types/node 20 does not declare it yet.
const oneShotHash = (crypto as unknown as { hash?: (a: string, d: string, e: string) => string })
  .hash;

export function digestOfKey(secret: string): string {
  return oneShotHash
    ? oneShotHash('sha256', secret, 'latin1')
    : crypto.createHash('sha256').update(secret, 'latin1').digest('binary');
}

export function digestOfHexHash(keyHash: string): string {
  return Buffer.from(keyHash, 'hex').toString('latin1');
}

/** key hash → owner, org, role, permissions, resources, expiry and status, from events only. */
export class KeyIndex {
  private readonly keys = new Map<string, IndexedKey>();
  private readonly owners = new Map<string, Owner>();

  get size(): number {
    return this.keys.size;
  }

  lookup(digest: string): IndexedKey | undefined {
    const key = this.keys.get(digest);
    if (key === undefined || key.owner.rotated === null) return key;
    return this.withRotation(digest, key);
  }

  // A rotated key's new expiry is applied here rather than when KeyRotated is read: finding a
  // key by id would take a second map of every key, and the index must stay small.
  private withRotation(digest: string, key: IndexedKey): IndexedKey {
    const rotated = key.owner.rotated;
    const expiresAt = rotated?.get(key.keyId);
    if (rotated == null || expiresAt === undefined) return key;
    rotated.delete(key.keyId);
    if (rotated.size === 0) key.owner.rotated = null;
    const updated: IndexedKey = { keyId: key.keyId, owner: key.owner, expiresAt };
    this.keys.set(digest, updated);
    return updated;
  }

  /**
   * Returns whether the event changed the index. Every event type is named here: a new one does
   * not compile until it is decided whether it changes what a key may do (a revocation-like
   * event silently ignored would let revoked keys through).
   */
  apply(event: KeywardEvent): boolean {
    switch (event.type) {
      case 'ServiceAccountCreated':
        return this.accountCreated(event.data);
      case 'ServiceAccountDeleted':
        return this.setStatus(
          ownerKey('serviceAccount', event.data.orgId, event.data.accountId),
          'deleted',
        );
      case 'MemberAdded':
      case 'MemberGrantsChanged':
        return this.memberGranted(event.data);
      case 'MemberRemoved':
        return this.setStatus(ownerKey('member', event.data.orgId, event.data.userId), 'removed');
      case 'KeyIssued':
        return this.keyIssued(event.data);
      case 'KeyRevoked':
        return this.keyRevoked(event.data);
      // The successor came in the same append as a KeyIssued; this shortens the old key's life.
      case 'KeyRotated':
        return this.keyRotated(event.data);
      // Nothing a key may do depends on these: names, roles (a grant keeps the permissions it
      // was given), policy (checked when a key is issued), renames and the org's name.
      case 'ServiceAccountUpdated':
      case 'ServiceAccountNameReserved':
      case 'ServiceAccountNameReleased':
      case 'OrganizationCreated':
      case 'RoleDefined':
      case 'OrganizationPolicySet':
        return false;
      // Webhook endpoints receive notifications; they never authorize a key.
      case 'WebhookEndpointRegistered':
      case 'WebhookEndpointUpdated':
      case 'WebhookEndpointDisabled':
      case 'WebhookEndpointEnabled':
      case 'WebhookEndpointDeleted':
        return false;
      default:
        return assertNever(event);
    }
  }

  private accountCreated(data: ServiceAccountCreated['data']): boolean {
    const grants = data.resources.map((resource) => ({
      resource,
      permissions: [...data.permissions],
    }));
    this.owners.set(
      ownerKey('serviceAccount', data.orgId, data.accountId),
      withReplyPrefix({
        kind: 'serviceAccount',
        id: data.accountId,
        orgId: data.orgId,
        orgAdmin: false,
        role: data.role,
        grants,
        permissions: [...data.permissions],
        basicAuth: data.enableBasicAuth,
        status: 'active',
        revoked: null,
        rotated: null,
        replyPrefix: '',
      }),
    );
    return true;
  }

  private memberGranted(data: MemberAdded['data'] | MemberGrantsChanged['data']): boolean {
    const key = ownerKey('member', data.orgId, data.userId);
    const grants = data.grants.map(({ resource, permissions }) => ({
      resource,
      permissions: [...permissions],
    }));
    const permissions = normalize(grants.flatMap((grant) => grant.permissions));
    // A member removed and added again is active again; keys revoked on removal stay revoked.
    const fields = {
      orgAdmin: data.orgRole === 'admin',
      grants,
      permissions,
      status: 'active' as const,
    };
    const existing = this.owners.get(key);
    if (existing) {
      Object.assign(existing, fields);
      withReplyPrefix(existing);
      return true;
    }
    this.owners.set(
      key,
      withReplyPrefix({
        kind: 'member',
        id: data.userId,
        orgId: data.orgId,
        role: null,
        basicAuth: false,
        revoked: null,
        rotated: null,
        replyPrefix: '',
        ...fields,
      }),
    );
    return true;
  }

  private setStatus(key: string, status: Owner['status']): boolean {
    const owner = this.owners.get(key);
    if (!owner) return false;
    owner.status = status;
    return true;
  }

  private keyIssued(data: KeyIssued['data']): boolean {
    const owner = this.owners.get(ownerKey(data.owner.kind, data.orgId, data.owner.id));
    if (!owner) return false;
    const key: IndexedKey = {
      keyId: compactKeyId(data.keyId),
      owner,
      expiresAt: data.expiresAt,
    };
    this.keys.set(digestOfHexHash(data.keyHash), key);
    return true;
  }

  private keyRevoked(data: KeyRevoked['data']): boolean {
    const owner = this.owners.get(ownerKey(data.owner.kind, data.orgId, data.owner.id));
    if (!owner) return false;
    const keyId = compactKeyId(data.keyId);
    owner.revoked ??= new Map();
    if (owner.revoked.has(keyId)) return false;
    owner.revoked.set(keyId, data.reason);
    return true;
  }

  private keyRotated(data: KeyRotated['data']): boolean {
    const owner = this.owners.get(ownerKey(data.owner.kind, data.orgId, data.owner.id));
    if (!owner) return false;
    owner.rotated ??= new Map();
    owner.rotated.set(compactKeyId(data.keyId), data.expiresAt);
    return true;
  }
}

function ownerKey(kind: PrincipalKind, orgId: string, id: string): string {
  return `${kind}:${orgId}:${id}`;
}

const PERMISSION_ORDER: readonly Permission[] = ['read', 'execute', 'write', 'delete', 'admin'];

function normalize(permissions: Permission[]): Permission[] {
  return PERMISSION_ORDER.filter((permission) => permissions.includes(permission));
}

function withReplyPrefix(owner: Owner): Owner {
  const principal = JSON.stringify({ kind: owner.kind, id: owner.id });
  owner.replyPrefix =
    `{"valid":true,"principal":${principal},"orgId":${JSON.stringify(owner.orgId)}` +
    `,"orgAdmin":${owner.orgAdmin},"role":${JSON.stringify(owner.role)}` +
    `,"permissions":${JSON.stringify(owner.permissions)}` +
    `,"resources":${JSON.stringify(owner.grants.map((grant) => grant.resource))}` +
    `,"grants":${JSON.stringify(owner.grants)}`;
  return owner;
}
