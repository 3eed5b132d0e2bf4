import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore, RecordedEvent } from '@keyward/event-store';
import type { Notification } from '@keyward/messaging';
import { CheckpointStore } from './checkpoint-store';
import { NotificationRelay } from './notification-relay';
import { endpointId, EventLog, keyId, T0 } from '../test/recorded-events';
import { storeOf } from '../test/store-of';

/** Keys 1…`expiries.length` issued in order, at positions 1… (a fresh log), with these expiries. */
const issuedKeys = (...expiries: (number | null)[]) => {
  const log = new EventLog();
  return expiries.map((expiresAt, i) => log.keyIssued(i + 1, { expiresAt }));
};

describe('NotificationRelay and the deadline table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-relay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function follow(db: CheckpointStore, events: RecordedEvent[]): Promise<Notification[]> {
    const published: Notification[] = [];
    const relay = new NotificationRelay(
      storeOf(events),
      async (n) => {
        published.push(n);
      },
      db,
    );
    relay.start();
    await relay.whenCaughtUp();
    await relay.stop();
    return published;
  }

  it('writes the deadlines with the checkpoint; a restart neither loses nor repeats them', async () => {
    const path = join(dir, 'restart.sqlite');
    const events = issuedKeys(T0 + 1_000, null, T0 + 2_000);
    let db = new CheckpointStore(path);
    expect(await follow(db, events.slice(0, 2))).toHaveLength(2);
    expect(db.read()).toBe(2n);
    expect(db.deadlines().map((d) => d.keyId)).toEqual([keyId(1)]);
    db.close();
    db = new CheckpointStore(path);
    expect((await follow(db, events)).map((n) => n.target.id)).toEqual([keyId(3)]);
    expect(db.deadlines().map((d) => [d.keyId, d.position])).toEqual([
      [keyId(1), '1'],
      [keyId(3), '3'],
    ]);
    db.close();
  });

  it('a file from before expiry notices refolds the store from the start without publishing it again', async () => {
    const path = join(dir, 'upgrade.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL)`);
    old.prepare(`INSERT INTO checkpoints (name, position) VALUES ('events', '2')`).run();
    old.close();
    const db = new CheckpointStore(path);
    expect(db.read()).toBeNull();
    expect(db.foldOnlyThrough()).toBe(2n);
    const events = issuedKeys(T0 + 1_000, T0 + 5_000, T0 + 9_000);
    const published = await follow(db, events);
    expect(published.map((n) => n.target.id)).toEqual([keyId(3)]);
    expect(db.deadlines().map((d) => d.keyId)).toEqual([keyId(1), keyId(2), keyId(3)]);
    expect(db.read()).toBe(3n);
    db.close();
    // Opening it again is no upgrade.
    const again = new CheckpointStore(path);
    expect(again.read()).toBe(3n);
    expect(again.deadlines()).toHaveLength(3);
    again.close();
  });
});

describe('upgrading a file from before webhooks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-relay-webhooks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The schema of the notifier before webhooks: a checkpoint and the key deadlines. */
  function oldFile(path: string, checkpoint: string, others: Record<string, string> = {}) {
    const old = new Database(path);
    old.exec(`CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL);
      CREATE TABLE key_deadlines (
         key_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, owner_kind TEXT NOT NULL,
         owner_id TEXT NOT NULL, expires_at INTEGER NOT NULL, position TEXT NOT NULL,
         set_at INTEGER NOT NULL, successor_key_id TEXT,
         soon TEXT NOT NULL DEFAULT 'pending', expired TEXT NOT NULL DEFAULT 'pending')`);
    for (const [name, position] of Object.entries({ events: checkpoint, ...others })) {
      old.prepare(`INSERT INTO checkpoints (name, position) VALUES (?, ?)`).run(name, position);
    }
    return old;
  }

  it('folds the endpoint events from the start, publishes nothing again, keeps the deadlines', async () => {
    const path = join(dir, 'before-webhooks.sqlite');
    const log = new EventLog();
    const events = [
      log.registered(1, { eventTypes: ['key.*'] }),
      log.keyIssued(1, { expiresAt: T0 + 10_000 }),
      log.keyIssued(2),
      log.keyRotated(1, 2, T0 + 5_000),
      log.updated(1, { description: 'after the upgrade' }),
      log.keyIssued(3),
    ];
    // The old notifier saw events 1–5: key 1's deadline (from its rotation) with its soon sent.
    const old = oldFile(path, '5');
    old
      .prepare(
        `INSERT INTO key_deadlines (key_id, org_id, owner_kind, owner_id, expires_at, position,
           set_at, successor_key_id, soon) VALUES (?, 'acme', 'serviceAccount', 'sa_x', ?, '4', ?, ?, 'sent')`,
      )
      .run(keyId(1), T0 + 5_000, T0, keyId(2));
    old.close();
    const db = new CheckpointStore(path);
    expect([db.read(), db.foldOnlyThrough(), db.foldedThrough('deadlines')]).toEqual([
      null,
      5n,
      5n,
    ]);
    const published: Notification[] = [];
    const relay = new NotificationRelay(storeOf(events), async (n) => void published.push(n), db);
    relay.start();
    await relay.whenCaughtUp();
    await relay.stop();
    expect(published.map((n) => n.target.id)).toEqual([keyId(3)]);
    expect(db.read()).toBe(6n);
    expect(db.endpoints.get('acme', endpointId(1))).toMatchObject({
      description: 'after the upgrade',
      event_types: '["key.*"]',
      status: 'enabled',
    });
    // Only what was published now is delivered.
    const deliveries = db.deliveryLog.page(endpointId(1), null, null, 10);
    expect(deliveries.map((d) => d.position)).toEqual(['6']);
    // Not folded again: refolding would have reset key 1's notices (its expiry changed twice).
    expect(db.deadlines()).toEqual([
      expect.objectContaining({ keyId: keyId(1), expiresAt: T0 + 5_000, soon: 'sent' }),
    ]);
    db.close();
    const again = new CheckpointStore(path);
    expect([again.read(), again.foldOnlyThrough()]).toEqual([6n, 5n]);
    again.close();
  });

  it('an upgrade during an unfinished earlier one publishes from the later point', () => {
    const path = join(dir, 'mid-upgrade.sqlite');
    oldFile(path, '4', { fold_only_through: '9' }).close();
    const db = new CheckpointStore(path);
    expect([db.read(), db.foldOnlyThrough(), db.foldedThrough('deadlines')]).toEqual([
      null,
      9n,
      4n,
    ]);
    db.close();
  });
});

describe('NotificationRelay acknowledgements', () => {
  const events = issuedKeys(null, null, null, null);

  /** A store that also records where each subscription started. */
  function recordingStore(froms: (bigint | 'start')[]): EventStore {
    const store = storeOf(events);
    return {
      subscribeToAll: (options: { from: bigint | 'start' }) => {
        froms.push(options.from);
        return store.subscribeToAll(options);
      },
    } as unknown as EventStore;
  }

  it('advances the checkpoint only over a run of acknowledged publishes', async () => {
    const db = new CheckpointStore(':memory:');
    const held = new Map<string, () => void>();
    const relay = new NotificationRelay(
      storeOf(events),
      (n) =>
        n.target.id === keyId(2) || n.target.id === keyId(4)
          ? new Promise<void>((resolve) => held.set(n.target.id, resolve))
          : Promise.resolve(),
      db,
      { checkpointIntervalMs: 0 },
    );
    relay.start();
    await relay.whenCaughtUp();
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.read()).toBe(1n);
    held.get(keyId(2))?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.read()).toBe(3n);
    held.get(keyId(4))?.();
    await relay.stop();
    expect(db.read()).toBe(4n);
    db.close();
  });

  it('a reader waiting for a position gets the checkpoint written at once, not at the next interval', async () => {
    const db = new CheckpointStore(':memory:');
    const relay = new NotificationRelay(storeOf(events), async () => undefined, db, {
      checkpointIntervalMs: 60_000,
    });
    relay.start();
    await relay.whenCaughtUp();
    const started = Date.now();
    expect(await relay.whenCheckpointed(3n, 5_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(db.read()).toBe(4n);
    expect(await relay.whenCheckpointed(2n, 0)).toBe(true);
    expect(await relay.whenCheckpointed(99n, 50)).toBe(false);
    await relay.stop();
    db.close();
  });

  it('a failed publish resubscribes from the checkpoint and publishes again what was not acknowledged', async () => {
    const db = new CheckpointStore(':memory:');
    const froms: (bigint | 'start')[] = [];
    const published: string[] = [];
    let failed = false;
    const errors: unknown[] = [];
    const relay = new NotificationRelay(
      recordingStore(froms),
      async (n) => {
        if (n.target.id === keyId(3) && !failed) {
          failed = true;
          throw new Error('no ack');
        }
        published.push(n.target.id);
      },
      db,
      { checkpointIntervalMs: 0, onError: (error) => errors.push(error) },
    );
    relay.start();
    await relay.whenCaughtUp();
    for (let i = 0; i < 100 && db.read() !== 4n; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await relay.stop();
    expect(errors).toEqual([new Error('no ack')]);
    expect(froms).toEqual(['start', 2n]);
    expect(db.read()).toBe(4n);
    // Everything at least once; what followed the failure in flight, again.
    expect(new Set(published)).toEqual(new Set([keyId(1), keyId(2), keyId(3), keyId(4)]));
    expect(published.slice(0, 2)).toEqual([keyId(1), keyId(2)]);
    expect(published.filter((id) => id === keyId(3))).toHaveLength(1);
    db.close();
  });
});
