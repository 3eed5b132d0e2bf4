import { effectivePermissions, type Permission } from '@keyward/domain';
import { keyIdOf, type IndexedKey } from '@keyward/verifier';

/** The response headers a proxy copies onto the request it lets through. */
export const PRINCIPAL_HEADERS = {
  principal: 'x-keyward-principal',
  principalKind: 'x-keyward-principal-kind',
  org: 'x-keyward-org',
  keyId: 'x-keyward-key-id',
  role: 'x-keyward-role',
  permissions: 'x-keyward-permissions',
} as const;

/**
 * Who the key belongs to, as headers. `X-Keyward-Role` is a service account's one role (absent
 * for a member, whose role differs per resource); `X-Keyward-Permissions` is what the key may
 * do on the checked resource (`permissions`), or without a check every permission it holds on
 * some resource.
 */
function principalHeaders(
  key: IndexedKey,
  permissions: readonly Permission[],
): Record<string, string> {
  const { owner } = key;
  const headers: Record<string, string> = {
    [PRINCIPAL_HEADERS.principal]: owner.id,
    [PRINCIPAL_HEADERS.principalKind]: owner.kind,
    [PRINCIPAL_HEADERS.org]: owner.orgId,
    [PRINCIPAL_HEADERS.keyId]: keyIdOf(key),
    [PRINCIPAL_HEADERS.permissions]: permissions.join(','),
  };
  if (owner.role !== null) headers[PRINCIPAL_HEADERS.role] = owner.role;
  return headers;
}

/** What a key may do on the checked resource, and the principal headers saying who it is. */
export interface Principal {
  /** On the checked resource; without a check, every permission the key holds somewhere. */
  permissions: readonly Permission[];
  /** `principalHeaders` as Node's flat `[name, value, …]` list, ready for `writeHead`. */
  headers: readonly string[];
}

interface Entry {
  /** The owner's serialized identity when this entry was made (see `get`). */
  stamp: string;
  byResource: Map<string, Principal>;
}

/** The `byResource` key of a request without a check (a resource id is never empty). */
const NO_CHECK = '';

/**
 * Forward-auth answers the same few keys with the same check again and again (a proxy's check
 * is fixed per location), and what it writes for them changes only when their owner does. This
 * keeps, per key and checked resource, the permissions and the header list, so a request costs
 * a map lookup instead of computing grants, joining names and hex-encoding the key id.
 *
 * Validity is never cached: revocation, deletion, expiry and the G1/G2 fences are decided per
 * request by the verifier node before this is asked. What is cached depends only on the key id
 * and the owner's role and grants, and the index re-serializes the owner (`replyPrefix`) on
 * every change to those, so a different `replyPrefix` makes the entry stale.
 *
 * Bounded: at `maxKeys` keys (or `maxResources` resources for one key) the map is emptied and
 * refilled by the requests that follow, so a proxy that sends arbitrary checks costs memory
 * only up to the bound.
 */
export class PrincipalCache {
  private readonly entries = new Map<IndexedKey, Entry>();

  constructor(
    private readonly maxKeys = 10_000,
    private readonly maxResources = 64,
  ) {}

  /** The key's principal, with `resource` the checked resource (none: authentication only). */
  get(key: IndexedKey, resource: string | undefined): Principal {
    const stamp = key.owner.replyPrefix;
    let entry = this.entries.get(key);
    if (entry === undefined || entry.stamp !== stamp) {
      if (entry === undefined && this.entries.size >= this.maxKeys) this.entries.clear();
      entry = { stamp, byResource: new Map() };
      this.entries.set(key, entry);
    }
    let principal = entry.byResource.get(resource ?? NO_CHECK);
    if (principal === undefined) {
      if (entry.byResource.size >= this.maxResources) entry.byResource.clear();
      const permissions =
        resource === undefined
          ? key.owner.permissions
          : effectivePermissions(key.owner.grants, resource);
      principal = {
        permissions,
        headers: Object.entries(principalHeaders(key, permissions)).flat(),
      };
      entry.byResource.set(resource ?? NO_CHECK, principal);
    }
    return principal;
  }

  get size(): number {
    return this.entries.size;
  }
}
