import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore, RecordedEvent, SubscriptionItem } from '@keyward/event-store';
import type { Notification } from '@keyward/messaging';
import { CheckpointStore } from './checkpoint-store';
import { ExpiryScheduler } from './expiry-scheduler';
import { NotificationRelay } from './notification-relay';
import { expiryChangesIn } from './store-changes';

const sa = { kind: 'serviceAccount', id: 'sa_0123456789abcdef0123456789abcdef' };
const key = (n: number) => `key_${String(n).padStart(32, '0')}`;
const endpoint = `whe_${'0'.repeat(31)}1`;
const T0 = Date.parse('2026-12-03T10:00:00.000Z');
const LEAD = 20_000;

function recorded(n: number, type: string, data: Record<string, unknown>, version = 1) {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const metadata = {
    eventId: id,
    actor: { kind: 'member', id: 'dana' },
    occurredAt: new Date(T0).toISOString(),
    schemaVersion: version,
  };
  const full = { orgId: 'acme', ...data };
  return { id, type, data: full, metadata, streamName: 'x', revision: 0n, position: BigInt(n) };
}
const issued = (n: number, keyN: number, expiresAt: number) =>
  recorded(n, 'KeyIssued', {
    keyId: key(keyN),
    owner: sa,
    name: 'k',
    description: '',
    keyHash: 'a'.repeat(64),
    hint: 'kw_live_abcd',
    expiresAt,
  });
const limits = { maxActiveKeysPerPrincipal: 100, maxKeyLifetimeSeconds: null };
const policyV1 = (n: number) =>
  recorded(n, 'OrganizationPolicySet', { ...limits, allowedServiceAccountRoles: null });
const policy = (n: number, seconds: number | null) =>
  recorded(
    n,
    'OrganizationPolicySet',
    { ...limits, allowedServiceAccountRoles: null, expiryNoticeSeconds: seconds },
    2,
  );

/** A store holding `events`: a subscription delivers those after `from`, then caught-up. */
function storeOf(events: RecordedEvent[]): EventStore {
  return {
    subscribeToAll: ({ from }: { from: bigint | 'start' }) => {
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      return {
        stop: async () => stop(),
        async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
          for (const event of events) {
            if (from === 'start' || event.position > from) yield { kind: 'event', event };
          }
          yield { kind: 'caught-up', position: events[events.length - 1]?.position ?? null };
          await stopped;
        },
      };
    },
  } as unknown as EventStore;
}

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
    const events = [
      policyV1(1),
      recorded(2, 'WebhookEndpointRegistered', {
        endpointId: endpoint,
        url: 'https://hooks.example.com/1',
        description: 'one',
        eventTypes: null,
        sealedSecret: 'sealed',
      }),
      issued(3, 1, T0 + 10_000),
      issued(4, 2, T0 + 60_000),
      policy(5, 30),
      // The old notifier's checkpoint; after it:
      issued(6, 3, T0 + 60_000),
      policy(7, null),
    ].map((e) => e as RecordedEvent);
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
           VALUES (?, 'acme', 'https://hooks.example.com/1', 'one', NULL, 'sealed', 'enabled',
             ?, ?, '2', ?)`,
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
    const events = [issued(1, 1, T0 + 60_000), policy(2, 50)].map((e) => e as RecordedEvent);
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
