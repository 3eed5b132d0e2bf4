import { randomBytes } from 'node:crypto';
import { generateApiKey, hashApiKey } from '@keyward/keys';

export const ORG_ID = 'bench';

export interface SyntheticKey {
  accountId: string;
  keyId: string;
  keyHash: string;
  /** Kept only for the sampled keys that traffic uses. */
  secret?: string;
}

/** `count` keys over `accounts` service accounts; every `sampleEvery`-th key keeps its secret. */
export function syntheticKeys(
  count: number,
  accounts: number,
  sampleEvery: number,
): SyntheticKey[] {
  const keys: SyntheticKey[] = [];
  for (let i = 0; i < count; i++) {
    const accountId = `sa_${(i % accounts).toString(16).padStart(32, '0')}`;
    const keyId = `key_${i.toString(16).padStart(32, '0')}`;
    if (i % sampleEvery === 0) {
      const { secret } = generateApiKey();
      keys.push({ accountId, keyId, keyHash: hashApiKey(secret), secret });
    } else {
      keys.push({ accountId, keyId, keyHash: randomBytes(32).toString('hex') });
    }
  }
  return keys;
}

export function accountCreated(accountId: string) {
  return {
    type: 'ServiceAccountCreated',
    data: {
      orgId: ORG_ID,
      accountId,
      name: accountId,
      description: '',
      role: 'reader',
      permissions: ['read'],
      resources: ['db:analytics'],
      enableBasicAuth: false,
      createdBy: { kind: 'member', id: 'admin' },
    },
  };
}

export function keyIssued(key: SyntheticKey) {
  return {
    type: 'KeyIssued',
    data: {
      orgId: ORG_ID,
      keyId: key.keyId,
      owner: { kind: 'serviceAccount', id: key.accountId },
      name: '',
      description: '',
      keyHash: key.keyHash,
      hint: 'kw_live_…0000',
      expiresAt: null,
    },
  };
}

export function keyRevoked(key: SyntheticKey) {
  return {
    type: 'KeyRevoked',
    data: {
      orgId: ORG_ID,
      keyId: key.keyId,
      owner: { kind: 'serviceAccount', id: key.accountId },
      reason: 'manual',
    },
  };
}
