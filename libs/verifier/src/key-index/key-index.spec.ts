import type { KeywardEvent } from '@keyward/domain';
import { generateApiKey, hashApiKey } from '@keyward/keys';
import { digestOfKey, keyIdOf, KeyIndex } from './key-index';

const owner = { kind: 'serviceAccount', id: 'sa_1' } as const;
const KEY_1 = `key_${'1'.repeat(32)}`;
const KEY_2 = `key_${'2'.repeat(32)}`;

const account: KeywardEvent = {
  type: 'ServiceAccountCreated',
  data: {
    orgId: 'o1',
    accountId: 'sa_1',
    name: 'n',
    description: '',
    role: 'reader',
    permissions: ['read'],
    resources: ['db:a'],
    enableBasicAuth: false,
    createdBy: { kind: 'member', id: 'admin' },
  },
};

function issued(secret: string, keyId: string, expiresAt: number | null): KeywardEvent {
  const data = { orgId: 'o1', keyId, owner, name: '', description: '', hint: 'kw_live_…' };
  return { type: 'KeyIssued', data: { ...data, keyHash: hashApiKey(secret), expiresAt } };
}

function rotated(keyId: string, successorKeyId: string, expiresAt: number): KeywardEvent {
  return { type: 'KeyRotated', data: { orgId: 'o1', keyId, owner, successorKeyId, expiresAt } };
}

describe('KeyIndex and rotation (docs/product-rules.md rule 10)', () => {
  const old = generateApiKey();
  const successor = generateApiKey();

  it('gives the old key its new expiry and indexes the successor from the same append', () => {
    const index = new KeyIndex();
    index.apply(account);
    index.apply(issued(old.secret, KEY_1, null));
    expect(index.lookup(digestOfKey(old.secret))?.expiresAt).toBeNull();
    expect(index.apply(issued(successor.secret, KEY_2, 9_000))).toBe(true);
    expect(index.apply(rotated(KEY_1, KEY_2, 5_000))).toBe(true);
    const oldKey = index.lookup(digestOfKey(old.secret));
    expect(oldKey && { keyId: keyIdOf(oldKey), expiresAt: oldKey.expiresAt }).toEqual({
      keyId: KEY_1,
      expiresAt: 5_000,
    });
    // Applied once; later lookups answer the same.
    expect(index.lookup(digestOfKey(old.secret))?.expiresAt).toBe(5_000);
    expect(index.lookup(digestOfKey(successor.secret))?.expiresAt).toBe(9_000);
  });

  it('leaves the other keys of the owner alone, and ignores an unknown owner', () => {
    const index = new KeyIndex();
    index.apply(account);
    index.apply(issued(old.secret, KEY_1, 7_000));
    index.apply(issued(successor.secret, KEY_2, null));
    index.apply(rotated(KEY_2, KEY_1, 3_000));
    expect(index.lookup(digestOfKey(old.secret))?.expiresAt).toBe(7_000);
    expect(index.lookup(digestOfKey(successor.secret))?.expiresAt).toBe(3_000);
    const stranger = {
      type: 'KeyRotated',
      data: {
        orgId: 'o1',
        keyId: KEY_1,
        owner: { kind: 'member', id: 'u' },
        successorKeyId: KEY_2,
        expiresAt: 1,
      },
    } as const;
    expect(index.apply(stranger)).toBe(false);
  });
});
