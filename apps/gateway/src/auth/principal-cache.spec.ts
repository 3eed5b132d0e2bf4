import type { KeywardEvent, Permission } from '@keyward/domain';
import { generateApiKey, hashApiKey } from '@keyward/keys';
import { digestOfKey, KeyIndex } from '@keyward/verifier';
import { PRINCIPAL_HEADERS, PrincipalCache } from './principal-cache';

const KEY_ID = `key_${'ab'.repeat(16)}`;

function member(grants: { resource: string; permissions: Permission[] }[]): KeywardEvent {
  return {
    type: 'MemberGrantsChanged',
    data: {
      orgId: 'o1',
      userId: 'u1',
      orgRole: 'member',
      grants: grants.map((grant) => ({ ...grant, role: 'custom' })),
    },
  };
}

function given() {
  const index = new KeyIndex();
  const key = generateApiKey();
  index.apply(member([{ resource: 'db:a', permissions: ['read', 'write'] }]));
  index.apply({
    type: 'KeyIssued',
    data: {
      orgId: 'o1',
      keyId: KEY_ID,
      owner: { kind: 'member', id: 'u1' },
      name: '',
      description: '',
      keyHash: hashApiKey(key.secret),
      hint: 'kw_…',
      expiresAt: null,
    },
  });
  const indexed = index.lookup(digestOfKey(key.secret));
  if (!indexed) throw new Error('key not indexed');
  return { index, indexed };
}

function headersOf(flat: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) headers[flat[i]] = flat[i + 1];
  return headers;
}

describe('PrincipalCache', () => {
  it('renders the principal headers and the permissions on the checked resource', () => {
    const { indexed } = given();
    const principal = new PrincipalCache().get(indexed, 'db:a');
    expect(principal.permissions).toEqual(['read', 'write']);
    expect(headersOf(principal.headers)).toEqual({
      [PRINCIPAL_HEADERS.principal]: 'u1',
      [PRINCIPAL_HEADERS.principalKind]: 'member',
      [PRINCIPAL_HEADERS.org]: 'o1',
      [PRINCIPAL_HEADERS.keyId]: KEY_ID,
      [PRINCIPAL_HEADERS.permissions]: 'read,write',
    });
    expect(new PrincipalCache().get(indexed, 'db:other').permissions).toEqual([]);
  });

  it('answers a repeated request from the cache, and a changed owner afresh', () => {
    const { index, indexed } = given();
    const cache = new PrincipalCache();
    const first = cache.get(indexed, 'db:a');
    expect(cache.get(indexed, 'db:a')).toBe(first);
    // A downgrade must apply on the very next request: the cache never outlives the grants.
    index.apply(member([{ resource: 'db:a', permissions: ['read'] }]));
    const after = cache.get(indexed, 'db:a');
    expect(after.permissions).toEqual(['read']);
    expect(headersOf(after.headers)[PRINCIPAL_HEADERS.permissions]).toBe('read');
  });

  it('without a check, names every permission the key holds somewhere', () => {
    const { index, indexed } = given();
    index.apply(
      member([
        { resource: 'db:a', permissions: ['read'] },
        { resource: 'db:b', permissions: ['delete'] },
      ]),
    );
    expect(new PrincipalCache().get(indexed, undefined).permissions).toEqual(['read', 'delete']);
  });

  it('stays within its bounds', () => {
    const { indexed } = given();
    const cache = new PrincipalCache(10, 3);
    for (let i = 0; i < 50; i++) cache.get(indexed, `db:r${i}`);
    expect(cache.size).toBe(1);
    expect(cache.get(indexed, 'db:a').permissions).toEqual(['read', 'write']);
  });
});
