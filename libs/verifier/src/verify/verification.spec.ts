import type { KeywardEvent } from '@keyward/domain';
import type { EventStore } from '@keyward/event-store';
import { generateApiKey, hashApiKey } from '@keyward/keys';
import { ReadBarrier } from '../follower/read-barrier';
import { Freshness } from '../freshness/freshness';
import { KeyIndex } from '../key-index/key-index';
import { RevocationFences } from '../propagation/revocation-fences';
import { invalidJson, verifiedJson, Verifier } from './verification';

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
    enableBasicAuth: true,
    createdBy: { kind: 'member', id: 'admin' },
  },
};

function issued(keyHash: string, keyId: string, expiresAt: number | null): KeywardEvent {
  return {
    type: 'KeyIssued',
    data: {
      orgId: 'o1',
      keyId,
      owner: { kind: 'serviceAccount', id: 'sa_1' },
      name: '',
      description: '',
      keyHash,
      hint: 'kw_live_…',
      expiresAt,
    },
  };
}

function given(now: { wall: number; mono: number }) {
  const index = new KeyIndex();
  const freshness = new Freshness(2000, () => now.mono);
  const fences = new RevocationFences((p) => freshness.hasApplied(p));
  const verifier = new Verifier(index, freshness, fences, () => now.wall);
  index.apply(account);
  freshness.advance(1n);
  freshness.headObserved(1n, 0);
  return { index, freshness, fences, verifier };
}

describe('Verifier', () => {
  const key = generateApiKey();

  it('accepts until the last millisecond before expiry and refuses from expiry on', () => {
    const now = { wall: 1_000_000, mono: 0 };
    const { index, verifier } = given(now);
    index.apply(issued(hashApiKey(key.secret), 'key_1', 1_000_500));
    now.wall = 1_000_499;
    expect(verifier.verify(`Bearer ${key.secret}`).valid).toBe(true);
    now.wall = 1_000_500;
    expect(verifier.verify(`Bearer ${key.secret}`)).toMatchObject({
      valid: false,
      reason: 'expired',
    });
  });

  it('rejects malformed keys before looking at freshness or the index', () => {
    const now = { wall: 0, mono: 0 };
    const { verifier } = given(now);
    now.mono = 100_000; // stale by now
    expect(verifier.verify('Bearer kw_live_nope')).toEqual({
      valid: false,
      reason: 'malformed',
      position: '1',
    });
    expect(verifier.verify(`Bearer ${key.secret}`)).toEqual({
      valid: false,
      reason: 'unavailable',
      position: '1',
    });
  });

  it('refuses everything once the last proof of being caught up is older than the bound', () => {
    const now = { wall: 0, mono: 0 };
    const { index, verifier } = given(now);
    index.apply(issued(hashApiKey(key.secret), 'key_1', null));
    now.mono = 2000;
    expect(verifier.verify(key.secret, true).valid).toBe(true);
    now.mono = 2001;
    expect(verifier.verify(key.secret, true)).toEqual({
      valid: false,
      reason: 'unavailable',
      position: '1',
    });
  });

  it('refuses a fenced key until the revocation position is applied', () => {
    const now = { wall: 0, mono: 0 };
    const { index, freshness, fences, verifier } = given(now);
    index.apply(issued(hashApiKey(key.secret), 'key_1', null));
    fences.add(['key_1'], 5n);
    expect(verifier.verify(key.secret, true)).toMatchObject({ reason: 'unavailable' });
    index.apply({
      type: 'KeyRevoked',
      data: {
        orgId: 'o1',
        keyId: 'key_1',
        owner: { kind: 'serviceAccount', id: 'sa_1' },
        reason: 'manual',
      },
    });
    freshness.advance(5n);
    expect(verifier.verify(key.secret, true)).toMatchObject({ reason: 'revoked' });
  });

  it('takes Basic credentials only with the account id as user, where enabled', () => {
    const now = { wall: 0, mono: 0 };
    const { index, verifier } = given(now);
    index.apply(issued(hashApiKey(key.secret), 'key_1', null));
    const basic = (user: string) =>
      `Basic ${Buffer.from(`${user}:${key.secret}`).toString('base64')}`;
    expect(verifier.verify(basic('sa_1')).valid).toBe(true);
    expect(verifier.verify(basic('sa_2'))).toMatchObject({ valid: false, reason: 'unknown' });
  });

  it('serializes the verified reply like VerifiedKey', () => {
    const now = { wall: 0, mono: 0 };
    const { index } = given(now);
    index.apply(issued(hashApiKey(key.secret), 'key_1', 1_700_000_000_999));
    const found = [...(index as unknown as { keys: Map<string, never> }).keys.values()][0];
    expect(JSON.parse(verifiedJson(found, '123456789012345678901', true))).toEqual({
      valid: true,
      principal: { kind: 'serviceAccount', id: 'sa_1' },
      orgId: 'o1',
      orgAdmin: false,
      role: 'reader',
      permissions: ['read'],
      resources: ['db:a'],
      grants: [{ resource: 'db:a', permissions: ['read'] }],
      keyId: 'key_1',
      expiresAt: 1_700_000_000,
      allowed: true,
      position: '123456789012345678901',
    });
    expect(JSON.parse(verifiedJson(found, null))).toMatchObject({ position: null });
    expect(JSON.parse(invalidJson('revoked', '42', true))).toEqual({
      valid: false,
      allowed: false,
      reason: 'revoked',
      position: '42',
    });
    expect(JSON.parse(invalidJson('malformed', null, false))).toEqual({
      valid: false,
      reason: 'malformed',
      position: null,
    });
  });

  describe('carries the position it decided at (SPEC rule 13)', () => {
    const revoked: KeywardEvent = {
      type: 'KeyRevoked',
      data: {
        orgId: 'o1',
        keyId: 'key_1',
        owner: { kind: 'serviceAccount', id: 'sa_1' },
        reason: 'manual',
      },
    };

    it('on every answer, valid or not, as the decimal string of the applied position', () => {
      const now = { wall: 1_000_000, mono: 0 };
      const { index, freshness, fences, verifier } = given(now);
      const other = generateApiKey();
      // Positions beyond 2^53 (JetStream's sequence << 16) must not lose a digit.
      const issuedAt = (1n << 60n) + 3n;
      index.apply(issued(hashApiKey(key.secret), 'key_1', 1_000_500));
      freshness.advance(issuedAt);
      const at = issuedAt.toString();
      expect(verifier.verify(key.secret, true)).toMatchObject({ valid: true, position: at });
      expect(verifier.verify('Bearer nope')).toMatchObject({ reason: 'malformed', position: at });
      expect(verifier.verify(42)).toMatchObject({ reason: 'malformed', position: at });
      expect(verifier.verify(other.secret, true)).toMatchObject({
        reason: 'unknown',
        position: at,
      });
      now.wall = 1_000_500;
      expect(verifier.verify(key.secret, true)).toMatchObject({ reason: 'expired', position: at });
      now.wall = 1_000_000;
      fences.add(['key_1'], issuedAt + 1n);
      expect(verifier.verify(key.secret, true)).toMatchObject({
        reason: 'unavailable',
        position: at,
      });
      index.apply(revoked);
      freshness.advance(issuedAt + 1n);
      expect(verifier.verify(key.secret, true)).toMatchObject({
        reason: 'revoked',
        position: (issuedAt + 1n).toString(),
      });
      now.mono = 10_000; // stale
      expect(verifier.verify(key.secret, true)).toMatchObject({
        reason: 'unavailable',
        position: (issuedAt + 1n).toString(),
      });
      expect(verifier.unavailable()).toMatchObject({
        reason: 'unavailable',
        position: (issuedAt + 1n).toString(),
      });
    });

    it('follows the applied position from one decision to the next, never reusing an older one', () => {
      const now = { wall: 0, mono: 0 };
      const { index, freshness, verifier } = given(now);
      const unknownKey = generateApiKey();
      const first = verifier.verify(unknownKey.secret, true);
      expect(first).toMatchObject({ reason: 'unknown', position: '1' });
      expect(verifier.verify(unknownKey.secret, true)).toBe(first); // made once per position
      index.apply(issued(hashApiKey(key.secret), 'key_1', null));
      freshness.advance(7n);
      expect(verifier.verify(unknownKey.secret, true)).toMatchObject({
        reason: 'unknown',
        position: '7',
      });
      expect(first).toMatchObject({ position: '1' }); // an answer already given never changes
      expect(verifier.verify(key.secret, true)).toMatchObject({ valid: true, position: '7' });
    });

    it('a key found only after the read barrier: the position after the barrier', async () => {
      const now = { wall: 0, mono: 0 };
      const { index, freshness, verifier } = given(now);
      const store = { headPosition: () => Promise.resolve(9n) } as unknown as EventStore;
      const barrier = new ReadBarrier(store, freshness);
      // What VerifierNode.verify does with a miss: pass the barrier, then decide again.
      expect(verifier.verify(key.secret, true)).toMatchObject({ reason: 'unknown', position: '1' });
      const later = barrier.sync().then(() => verifier.verify(key.secret, true));
      await Promise.resolve();
      index.apply(issued(hashApiKey(key.secret), 'key_1', null));
      freshness.advance(9n);
      barrier.advanced(9n);
      expect(await later).toMatchObject({ valid: true, position: '9' });
    });

    it('is null while the node has applied nothing (an empty store)', () => {
      const freshness = new Freshness(2000, () => 0);
      freshness.headObserved(null, 0);
      const verifier = new Verifier(
        new KeyIndex(),
        freshness,
        new RevocationFences((p) => freshness.hasApplied(p)),
      );
      expect(verifier.verify(key.secret, true)).toEqual({
        valid: false,
        reason: 'unknown',
        position: null,
      });
    });
  });
});

describe('Freshness', () => {
  it('dates a proof from the start of its head lookup, and a fence voids older proofs', () => {
    let now = 0;
    const freshness = new Freshness(1000, () => now);
    freshness.headObserved(10n, 0);
    expect(freshness.isServing()).toBe(false);
    now = 500;
    freshness.advance(10n);
    expect(freshness.isServing()).toBe(true);
    now = 1001;
    expect(freshness.isServing()).toBe(false);
    freshness.headObserved(10n, 1001);
    expect(freshness.isServing()).toBe(true);
    freshness.fence(1002);
    expect(freshness.isServing()).toBe(false);
    freshness.headObserved(10n, 1000); // started before the fence: no proof
    expect(freshness.isServing()).toBe(false);
    freshness.headObserved(10n, 1003);
    expect(freshness.isServing()).toBe(true);
  });

  it('formats the applied position once per position', () => {
    const freshness = new Freshness(1000, () => 0);
    expect(freshness.appliedPositionText).toBeNull();
    freshness.advance(12n);
    const text = freshness.appliedPositionText;
    expect(text).toBe('12');
    expect(freshness.appliedPositionText).toBe(text);
    freshness.advance(11n); // never backwards
    expect(freshness.appliedPositionText).toBe('12');
    freshness.advance(13n);
    expect(freshness.appliedPositionText).toBe('13');
  });
});
