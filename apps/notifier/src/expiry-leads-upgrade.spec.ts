import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Notification } from '@keyward/messaging';
import { CheckpointStore } from './checkpoint-store';
import { ExpiryScheduler } from './expiry-scheduler';
import { NotificationRelay } from './notification-relay';
import { expiryChangesIn } from './store-changes';
import { endpointId, EventLog, keyId as key, SA as sa, T0 } from '../test/recorded-events';
import { storeOf } from '../test/store-of';

const endpoint = endpointId(1);
const LEAD = 20_000;

/**
 * A notifier file as the version before per-organization leads left it: key deadlines without
 * a planned soon time, webhook tables, no lead table, no default recorded.
 */
function fileFromBeforeLeads(path: string, fill: (old: Database.Database) => void): void {
  new CheckpointStore(path).close();
  const old = new Database(path);
  old.exec(
    `DROP TABLE org_expiry_leads;
     DROP INDEX key_deadlines_soon_at;
     ALTER TABLE key_deadlines DROP COLUMN soon_at;
     ALTER TABLE key_deadlines DROP COLUMN soon_from;
     CREATE INDEX key_deadlines_soon ON key_deadlines (soon, expires_at);
     DELETE FROM meta WHERE name = 'expiry_default_lead_ms';`,
  );
  fill(old);
  old.close();
}

describe('upgrading a notifier file from before per-organization leads (fake clock)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-leads-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => jest.useFakeTimers({ now: T0 + 5_000 }));
  afterEach(() => jest.useRealTimers());

  it('folds the policy events from the start, publishes nothing again, keeps the rest', async () => {
    const log = new EventLog();
    const events = [
      log.policySet(),
      log.registered(1, { sealed: 'sealed' }),
      log.keyIssued(1, { expiresAt: T0 + 10_000 }),
      log.keyIssued(2, { expiresAt: T0 + 60_000 }),
      log.policySet(30),
      // The old notifier's checkpoint; after it:
      log.keyIssued(3, { expiresAt: T0 + 60_000 }),
      log.policySet(null),
    ];
    const path = join(dir, 'before-leads.sqlite');
    // The old notifier (a 20 s lead) saw events 1–5 at T0 + 5 s: key 1's soon notice went out
    // (due at once), key 2's is pending (due at 40 s with its lead); the endpoint is failing.
    fileFromBeforeLeads(path, (old) => {
      const row = old.prepare(
        `INSERT INTO key_deadlines (key_id, org_id, owner_kind, owner_id, expires_at, position,
           set_at, soon) VALUES (?, 'acme', 'serviceAccount', ?, ?, ?, ?, ?)`,
      );
      row.run(key(1), sa.id, T0 + 10_000, '3', T0, 'sent');
      row.run(key(2), sa.id, T0 + 60_000, '4', T0, 'pending');
      old
        .prepare(
          `INSERT INTO webhook_endpoints (id, org_id, url, description, event_types,
             sealed_secret, status, created_at, updated_at, position, failing_since)
           VALUES (?, 'acme', 'https://hooks.example.com/1', 'endpoint 1', NULL, 'sealed',
             'enabled', ?, ?, '2', ?)`,
        )
        .run(endpoint, T0, T0, T0 + 1_000);
      old.prepare(`INSERT INTO checkpoints (name, position) VALUES ('events', '5')`).run();
    });

    const db = new CheckpointStore(path, { defaultExpiryLeadMs: LEAD });
    expect([db.read(), db.foldOnlyThrough()]).toEqual([null, 5n]);
    expect([
      db.foldedThrough('deadlines'),
      db.foldedThrough('endpoints'),
      db.foldedThrough('leads'),
    ]).toEqual([5n, 5n, null]);
    const published: Notification[] = [];
    const publish = async (n: Notification) => void published.push(n);
    const scheduler = new ExpiryScheduler(db, publish, { retryMs: 1_000 });
    const relay = new NotificationRelay(storeOf(events), publish, db, {
      onCheckpoint: (changes) => scheduler.deadlinesChanged(expiryChangesIn(changes)),
    });
    relay.start();
    await relay.whenCaughtUp();
    await relay.stop();
    // Only what came after the old checkpoint is published.
    expect(published.map((n) => `${n.type} ${n.position}`)).toEqual([
      'key.issued 6',
      'organization.policy_set 7',
    ]);
    expect(db.read()).toBe(7n);
    // Folded from the start: the 30 s lead (event 5) re-planned key 2, then null (event 7) put
    // it back on the default; key 3 came between. Key 1's notice stays sent.
    expect(db.deadlines().map((d) => [d.keyId, d.soon, d.soonAt - T0, d.expired])).toEqual([
      [key(1), 'sent', 0, 'pending'],
      [key(2), 'pending', 40_000, 'pending'],
      [key(3), 'pending', 40_000, 'pending'],
    ]);
    // Endpoints were kept, not folded again (a registration folded again clears failing_since).
    expect(db.endpoints.get('acme', endpoint)).toMatchObject({ failing_since: T0 + 1_000 });

    scheduler.start();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(published.slice(2).map((n) => `${n.type} ${n.target.id}`)).toEqual([
      `key.expired ${key(1)}`,
      `key.expiring_soon ${key(2)}`,
      `key.expiring_soon ${key(3)}`,
      `key.expired ${key(2)}`,
      `key.expired ${key(3)}`,
    ]);
    await scheduler.stop();
    db.close();
    const again = new CheckpointStore(path, { defaultExpiryLeadMs: LEAD });
    expect([again.read(), again.foldOnlyThrough(), again.foldedThrough('leads')]).toEqual([
      7n,
      5n,
      null,
    ]);
    again.close();
  });

  it('an old file whose keys are on the default gets the lead of a policy folded again', async () => {
    const log = new EventLog();
    const events = [log.keyIssued(1, { expiresAt: T0 + 60_000 }), log.policySet(50)];
    const path = join(dir, 'lead-before-checkpoint.sqlite');
    fileFromBeforeLeads(path, (old) => {
      old
        .prepare(
          `INSERT INTO key_deadlines (key_id, org_id, owner_kind, owner_id, expires_at, position,
             set_at) VALUES (?, 'acme', 'serviceAccount', ?, ?, '1', ?)`,
        )
        .run(key(1), sa.id, T0 + 60_000, T0);
      old.prepare(`INSERT INTO checkpoints (name, position) VALUES ('events', '2')`).run();
    });
    const db = new CheckpointStore(path, { defaultExpiryLeadMs: LEAD });
    // Planned on open with the default...
    expect(db.deadlines()[0]).toMatchObject({ soon: 'pending', soonAt: T0 + 40_000 });
    const published: Notification[] = [];
    const relay = new NotificationRelay(storeOf(events), async (n) => void published.push(n), db);
    relay.start();
    await relay.whenCaughtUp();
    await relay.stop();
    // ...then with the organization's 50 s from the policy event, published before.
    expect(published).toEqual([]);
    expect(db.deadlines()[0]).toMatchObject({ soon: 'pending', soonAt: T0 + 10_000 });
    db.close();
  });
});
