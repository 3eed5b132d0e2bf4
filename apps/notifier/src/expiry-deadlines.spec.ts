import type { RecordedEvent } from '@keyward/event-store';
import { CheckpointStore } from './checkpoint-store';
import {
  deadlineChangesOf,
  dueAt,
  expiryNotification,
  nextDueOf,
  type Deadline,
} from './expiry-deadlines';

const HASH = 'a'.repeat(64);
const sa = { kind: 'serviceAccount' as const, id: 'sa_0123456789abcdef0123456789abcdef' };
const member = { kind: 'member' as const, id: 'dana' };
const key = (n: number) => `key_${String(n).padStart(32, '0')}`;
const T0 = Date.parse('2026-12-03T10:00:00.000Z');
const DAY = 86_400_000;

let position = 0n;
function recorded(type: string, data: Record<string, unknown>): RecordedEvent {
  position += 1n;
  const id = `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`;
  return {
    id,
    type,
    data: { orgId: 'acme', ...data },
    metadata: {
      eventId: id,
      actor: { kind: 'member', id: 'dana' },
      orgId: 'acme',
      occurredAt: new Date(T0).toISOString(),
      schemaVersion: 1,
    },
    streamName: 'serviceAccount-x',
    revision: 0n,
    position,
  };
}

const issued = (n: number, expiresAt: number | null, owner: { kind: string; id: string } = sa) =>
  recorded('KeyIssued', {
    keyId: key(n),
    owner,
    name: `k${n}`,
    description: '',
    keyHash: HASH,
    hint: 'kw_live_abcd',
    expiresAt,
  });
const rotated = (n: number, successor: number, expiresAt: number) =>
  recorded('KeyRotated', { keyId: key(n), owner: sa, successorKeyId: key(successor), expiresAt });
const revoked = (n: number) =>
  recorded('KeyRevoked', { keyId: key(n), owner: sa, reason: 'manual' });

/** Folds events into a fresh table, one checkpoint write per event (as the relay may). */
function fold(events: RecordedEvent[], db = new CheckpointStore(':memory:')): CheckpointStore {
  for (const event of events) db.write(event.position, deadlineChangesOf(event));
  return db;
}
const table = (db: CheckpointStore) =>
  db.deadlines().map((d) => ({ keyId: d.keyId, expiresAt: d.expiresAt, position: d.position }));

describe('key deadlines folded from the store', () => {
  it('a key issued with an expiry gets a deadline; one without gets none', () => {
    const e1 = issued(1, T0 + 30 * DAY);
    const db = fold([e1, issued(2, null)]);
    expect(db.deadlines()).toEqual([
      {
        keyId: key(1),
        orgId: 'acme',
        owner: sa,
        expiresAt: T0 + 30 * DAY,
        position: e1.position.toString(),
        setAt: T0,
        successorKeyId: null,
        soonAt: T0 + 23 * DAY, // the default lead, 7 days
        soon: 'pending',
        expired: 'pending',
      },
    ]);
    expect(db.read()).toBe(2n);
  });

  it('a rotation shortens the deadline, with its position and successor, and resets the notices', () => {
    const db = fold([issued(1, T0 + 30 * DAY)]);
    db.markSent(key(1), T0 + 30 * DAY, 'key.expiring_soon');
    const rotation = rotated(1, 2, T0 + DAY);
    fold([issued(2, null), rotation], db);
    expect(db.deadlines()).toEqual([
      expect.objectContaining({
        keyId: key(1),
        expiresAt: T0 + DAY,
        position: rotation.position.toString(),
        successorKeyId: key(2),
        soon: 'pending',
        expired: 'pending',
      }),
    ]);
  });

  it('a rotation sets a deadline on a key that had none', () => {
    const db = fold([issued(1, null), rotated(1, 2, T0 + 3_600_000)]);
    expect(table(db).map((d) => [d.keyId, d.expiresAt])).toEqual([[key(1), T0 + 3_600_000]]);
  });

  it('a revocation cancels the deadline', () => {
    const db = fold([issued(1, T0 + DAY), issued(2, T0 + DAY), revoked(1)]);
    expect(table(db).map((d) => d.keyId)).toEqual([key(2)]);
  });

  it("an account's deletion and a member's removal cancel their keys' deadlines, nobody else's", () => {
    const other = { kind: 'serviceAccount', id: 'sa_ffffffffffffffffffffffffffffffff' };
    const db = fold([
      issued(1, T0 + DAY, sa),
      issued(2, T0 + DAY, member),
      issued(3, T0 + DAY, other),
      recorded('ServiceAccountDeleted', { accountId: sa.id, reason: 'deleted' }),
    ]);
    expect(table(db).map((d) => d.keyId)).toEqual([key(2), key(3)]);
    fold([recorded('MemberRemoved', { userId: 'dana', reason: 'left' })], db);
    expect(table(db).map((d) => d.keyId)).toEqual([key(3)]);
  });

  it('events that do not touch expiries, and unknown types, change nothing', () => {
    expect(deadlineChangesOf(recorded('ServiceAccountUpdated', { accountId: sa.id }))).toEqual([]);
    expect(deadlineChangesOf(recorded('SomethingFromTheFuture', { x: 1 }))).toEqual([]);
  });

  it('replaying the same events gives the same table and keeps what was sent', () => {
    const events = [
      issued(1, T0 + DAY),
      issued(2, T0 + 2 * DAY),
      rotated(2, 3, T0 + 3_600_000),
      issued(3, T0 + 9 * DAY),
      revoked(1),
      issued(4, T0 + 5 * DAY, member),
    ];
    const once = fold(events);
    const fromScratch = fold(events);
    expect(table(fromScratch)).toEqual(table(once));
    // Again over the same table (a batch written twice): idempotent, notices kept.
    once.markSent(key(3), T0 + 9 * DAY, 'key.expiring_soon');
    fold(events, once);
    expect(table(once)).toEqual(table(fromScratch));
    expect(once.deadlines().find((d) => d.keyId === key(3))?.soon).toBe('sent');
  });

  it('the changes are written with the checkpoint, in one transaction', () => {
    const db = new CheckpointStore(':memory:');
    const good = deadlineChangesOf(issued(1, T0 + DAY));
    const [bad] = deadlineChangesOf(issued(2, T0 + DAY)) as unknown as [
      { kind: 'set'; deadline: { orgId: string | null } },
    ];
    bad.deadline.orgId = null;
    // A write failing halfway (NOT NULL) leaves neither the first deadline nor the checkpoint.
    expect(() => db.write(5n, [...good, ...([bad] as typeof good)])).toThrow(/NOT NULL/);
    expect(db.deadlines()).toEqual([]);
    expect(db.read()).toBeNull();
  });
});

describe('what is due at time T', () => {
  const d = (soon: Deadline['soon'], expired: Deadline['expired']) => ({
    expiresAt: T0 + 10 * DAY,
    soonAt: T0 + 3 * DAY,
    soon,
    expired,
  });

  it.each([
    ['long before', T0, 'pending', null, false],
    ['a millisecond before the lead', T0 + 3 * DAY - 1, 'pending', null, false],
    ['at the lead', T0 + 3 * DAY, 'pending', 'key.expiring_soon', false],
    ['inside the lead', T0 + 9 * DAY, 'pending', 'key.expiring_soon', false],
    ['inside the lead, soon sent', T0 + 9 * DAY, 'sent', null, false],
    ['inside the lead, soon skipped (lead 0)', T0 + 9 * DAY, 'skipped', null, false],
    ['a millisecond before expiry, soon sent', T0 + 10 * DAY - 1, 'sent', null, false],
    ['at the expiry (rule 7)', T0 + 10 * DAY, 'sent', 'key.expired', false],
    ['at the expiry, soon skipped (lead 0)', T0 + 10 * DAY, 'skipped', 'key.expired', false],
    ['already expired, soon never sent: skipped', T0 + 11 * DAY, 'pending', 'key.expired', true],
  ] as const)('%s', (_what, now, soon, send, skipSoon) => {
    expect(dueAt(d(soon, 'pending'), now)).toEqual({ send, skipSoon });
  });

  it('nothing once both are done; the next due time follows the first pending notice', () => {
    expect(dueAt(d('sent', 'sent'), T0 + 20 * DAY).send).toBeNull();
    expect(nextDueOf(d('pending', 'pending'))).toBe(T0 + 3 * DAY);
    expect(nextDueOf(d('sent', 'pending'))).toBe(T0 + 10 * DAY);
    expect(nextDueOf(d('skipped', 'pending'))).toBe(T0 + 10 * DAY);
    expect(nextDueOf(d('skipped', 'sent'))).toBeNull();
  });

  it('the table answers the same: due rows and the next due time', () => {
    const db = fold([issued(1, T0 + 10 * DAY), issued(2, T0 + 20 * DAY), issued(3, null)]);
    expect(db.due(T0)).toEqual([]);
    expect(db.nextDue()).toBe(T0 + 3 * DAY);
    expect(db.due(T0 + 3 * DAY).map((r) => r.keyId)).toEqual([key(1)]);
    db.markSent(key(1), T0 + 10 * DAY, 'key.expiring_soon');
    expect(db.due(T0 + 3 * DAY)).toEqual([]);
    expect(db.nextDue()).toBe(T0 + 10 * DAY);
    // Past both expiries: key 1 expired; key 2 expired with its soon skipped.
    expect(db.due(T0 + 30 * DAY).map((r) => r.keyId)).toEqual([key(1), key(2)]);
    db.markSent(key(1), T0 + 10 * DAY, 'key.expired');
    db.markSent(key(2), T0 + 20 * DAY, 'key.expired', true);
    expect(db.deadlines().map((r) => [r.soon, r.expired])).toEqual([
      ['sent', 'sent'],
      ['skipped', 'sent'],
    ]);
    expect(db.nextDue()).toBeNull();
    // A mark for an expiry that is no longer the key's changes nothing.
    fold([rotated(2, 5, T0 + 15 * DAY)], db);
    db.markSent(key(2), T0 + 20 * DAY, 'key.expiring_soon');
    expect(db.deadlines()[1]).toMatchObject({ soon: 'pending', expired: 'pending' });
  });
});

describe('the expiry notification', () => {
  const deadline = {
    keyId: key(1),
    orgId: 'acme',
    owner: sa,
    expiresAt: T0 + 10 * DAY,
    position: '42',
    setAt: T0,
    successorKeyId: null,
    soonAt: T0 + 3 * DAY,
  };

  it('has a deterministic id and body, actor system, target the key, no secret', () => {
    const soon = expiryNotification(deadline, 'key.expiring_soon');
    expect(soon).toEqual({
      eventId: `key.expiring_soon:${key(1)}:${T0 + 10 * DAY}`,
      type: 'key.expiring_soon',
      orgId: 'acme',
      position: '42',
      occurredAt: new Date(T0 + 3 * DAY).toISOString(),
      actor: { kind: 'system', id: null },
      target: { kind: 'key', id: key(1) },
      data: { owner: sa, expiresAt: new Date(T0 + 10 * DAY).toISOString() },
    });
    expect(expiryNotification(deadline, 'key.expiring_soon')).toEqual(soon);
    expect(expiryNotification(deadline, 'key.expired')).toMatchObject({
      eventId: `key.expired:${key(1)}:${T0 + 10 * DAY}`,
      occurredAt: new Date(T0 + 10 * DAY).toISOString(),
    });
  });

  it('names the successor when a rotation set the expiry; due no earlier than that event', () => {
    const db = fold([issued(1, T0 + 30 * DAY), issued(2, null), rotated(1, 2, T0 + DAY)]);
    const fromRotation = db.deadlines()[0];
    const soon = expiryNotification(fromRotation, 'key.expiring_soon');
    expect(soon.data).toEqual({
      owner: sa,
      expiresAt: new Date(T0 + DAY).toISOString(),
      successorKeyId: key(2),
    });
    expect(soon.occurredAt).toBe(new Date(T0).toISOString());
    expect(soon.eventId).not.toBe(expiryNotification(deadline, 'key.expiring_soon').eventId);
  });
});
