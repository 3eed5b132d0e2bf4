import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { createEventStore, type EventStore, type RecordedEvent } from '@keyward/event-store';
import {
  ALL_NOTIFY_SUBJECTS,
  NOTIFICATION_TYPES,
  NOTIFY_POSITION_HEADER,
  NOTIFY_STREAM,
  notifySubject,
  type Notification,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import { EventStoreDbWireServer } from './eventstoredb-wire-server/wire-server';
import { bootstrapOverHttp } from './support/bootstrap';

/**
 * Issue 14, first part: apps/notifier publishes `kw.notify.<orgId>.<type>` for every lifecycle
 * event, from the store (never from the command service), at least once across a `kill -9`.
 * `npm run up`'s processes, driven over REST, heard by a plain NATS subscriber (the operator).
 */
const rootDir = resolve(__dirname, '..');
const SA = '/api/service-account/v1/service-account';
const BURST_ACCOUNTS = 6;
const BURST_KEYS_PER_ACCOUNT = 100;
const json = JSONCodec<Notification>();

interface Heard {
  subject: string;
  msgId: string | undefined;
  positionHeader: string | undefined;
  body: Notification;
  raw: string;
}

/** The store's events since the start (via the port, on either store), up to its head. */
async function storeEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  const subscription = store.subscribeToAll({ from: 'start' });
  for await (const item of subscription) {
    if (item.kind === 'caught-up') break;
    events.push(item.event);
  }
  await subscription.stop();
  return events;
}

const NOT_NOTIFIED = new Set(['ServiceAccountNameReserved', 'ServiceAccountNameReleased']);

describe.each([
  ['JetStream', false],
  ['EventStoreDB (wire-compatible server)', true],
])('notifier on %s', (_store, onEventStoreDb) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-notifier-'));
  let wireServer: EventStoreDbWireServer | undefined;
  let system: RunningSystem;
  let operator: NatsConnection;
  let store: EventStore;
  let subscription: Subscription;
  const heard: Heard[] = [];
  let admin: string;

  async function http<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { authorization: `Bearer ${admin}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
  }

  /** Waits until every notifying event of the store has been heard at least once. */
  async function heardEverything(timeoutMs = 60_000): Promise<RecordedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = (await storeEvents(store)).filter((e) => !NOT_NOTIFIED.has(e.type));
      const ids = new Set(heard.map((h) => h.body.eventId));
      const missing = events.filter((e) => !ids.has(e.id));
      if (missing.length === 0) return events;
      if (Date.now() > deadline)
        throw new Error(`${missing.length} events never notified, e.g. ${missing[0].type}`);
      await sleep(200);
    }
  }

  beforeAll(async () => {
    // A checkpoint written once a second: the kill then loses up to a second of checkpoints, so
    // the restart publishes some notifications again, and the test sees real duplicates.
    const env: NodeJS.ProcessEnv = { KEYWARD_NOTIFIER_CHECKPOINT_INTERVAL_MS: '1000' };
    if (onEventStoreDb) {
      wireServer = await new EventStoreDbWireServer().start(0);
      env.EVENT_STORE_URL = wireServer.url;
    }
    system = await startSystem({ dataDir, rootDir, verifiers: 1, env });
    operator = await connect(system.natsSettings('operator'));
    store = await createEventStore({
      eventStoreUrl: env.EVENT_STORE_URL,
      natsConnection: operator,
      reader: true,
    });
    subscription = operator.subscribe(ALL_NOTIFY_SUBJECTS);
    void (async () => {
      for await (const message of subscription) {
        heard.push({
          subject: message.subject,
          msgId: message.headers?.get('Nats-Msg-Id'),
          positionHeader: message.headers?.get(NOTIFY_POSITION_HEADER),
          body: json.decode(message.data),
          raw: message.string(),
        });
      }
    })();
    await operator.flush();
    admin = await bootstrapOverHttp(system, 'acme');
  }, 120_000);

  afterAll(async () => {
    subscription?.unsubscribe();
    await store?.close();
    await operator?.close();
    await system?.stop();
    await wireServer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes every lifecycle event type, as documented, once each, with no hash', async () => {
    const account = await http<{ id: string }>('POST', SA, { name: 'ci-bot' });
    expect(account.status).toBe(201);
    const sa = `${SA}/${account.body.id}`;
    expect((await http('PATCH', sa, { description: 'builds' })).status).toBe(200);
    const key = await http<{ keyId: string; secret: string }>('POST', `${sa}/key`, {
      name: 'deploy',
    });
    expect(key.status).toBe(201);
    const rotated = await http<{ keyId: string }>('POST', `${sa}/key/${key.body.keyId}/rotate`, {
      graceSeconds: 60,
    });
    expect(rotated.status).toBe(201);
    expect((await http('DELETE', `${sa}/key/${key.body.keyId}`)).status).toBe(204);
    expect(
      (await http('PUT', '/api/organization/v1/policy', { maxActiveKeysPerPrincipal: 1000 }))
        .status,
    ).toBe(200);
    expect(
      (await http('POST', '/api/role/v1/role', { name: 'auditor', permissions: ['read'] })).status,
    ).toBe(201);
    const grants = [{ resource: 'db:analytics', role: 'reader' }];
    expect(
      (await http('POST', '/api/member/v1/member', { userId: 'dana', displayName: 'Dana', grants }))
        .status,
    ).toBe(201);
    expect(
      (
        await http('PATCH', '/api/member/v1/member/dana', {
          grants: [{ resource: '*', role: 'auditor' }],
        })
      ).status,
    ).toBe(200);
    expect((await http('DELETE', '/api/member/v1/member/dana')).status).toBe(204);
    expect((await http('DELETE', sa)).status).toBe(204);

    const events = await heardEverything();
    expect(new Set(heard.map((h) => h.body.type))).toEqual(new Set(NOTIFICATION_TYPES));
    // Without a restart, exactly once, in store order.
    expect(heard.map((h) => h.body.eventId)).toEqual(events.map((e) => e.id));
    for (const h of heard) {
      expect(h.subject).toBe(notifySubject('acme', h.body.type));
      expect(h.msgId).toBe(h.body.eventId);
      expect(h.positionHeader).toBe(h.body.position);
      expect(h.raw).not.toMatch(/keyHash|hint|secret|kw_live_/);
      expect(h.raw).not.toContain(key.body.secret);
      expect(h.body.orgId).toBe('acme');
      expect(Date.parse(h.body.occurredAt)).toBeGreaterThan(0);
    }
    const byType = (type: string) => heard.filter((h) => h.body.type === type).map((h) => h.body);
    expect(byType('key.revoked')).toEqual([
      expect.objectContaining({
        target: { kind: 'key', id: key.body.keyId },
        actor: { kind: 'member', id: 'owner' },
        data: { owner: { kind: 'serviceAccount', id: account.body.id }, reason: 'manual' },
      }),
      // Deleting the account revokes the successor too, then deletes the account.
      expect.objectContaining({
        target: { kind: 'key', id: rotated.body.keyId },
        data: expect.objectContaining({ reason: 'account_deleted' }),
      }),
    ]);
    expect(byType('key.rotated')[0].data).toMatchObject({ successorKeyId: rotated.body.keyId });
    expect(byType('service_account.created')[0]).toMatchObject({
      target: { kind: 'serviceAccount', id: account.body.id },
      data: { name: 'ci-bot' },
    });
    expect(byType('member.grants_changed')[0].target).toEqual({ kind: 'member', id: 'dana' });
    expect(byType('organization.policy_set')[0].data).toMatchObject({
      maxActiveKeysPerPrincipal: 1000,
    });
    if (!onEventStoreDb) {
      // JetStream keeps them for late consumers: one stored message per event.
      const info = await (await operator.jetstreamManager()).streams.info(NOTIFY_STREAM);
      expect(info.state.messages).toBe(heard.length);
    }
  }, 120_000);

  it('publishes every event at least once across a kill -9 mid-burst; duplicates carry the same id', async () => {
    const before = heard.length;
    const accounts: string[] = [];
    for (let i = 0; i < BURST_ACCOUNTS; i++) {
      const created = await http<{ id: string }>('POST', SA, { name: `burst-${i}` });
      expect(created.status).toBe(201);
      accounts.push(created.body.id);
    }
    const jobs = accounts.flatMap((id) =>
      Array.from(
        { length: BURST_KEYS_PER_ACCOUNT },
        (_, k) => () => http('POST', `${SA}/${id}/key`, { name: `k${k}` }),
      ),
    );
    const statuses: number[] = [];
    const burst = runConcurrently(jobs, 24, (r) => statuses.push(r.status));
    // Kill the notifier once the burst is well under way and notifications are flowing.
    while (heard.length < before + 150) await sleep(5);
    const notifier = system.services.find((s) => s.name === 'notifier')!;
    notifier.child.kill('SIGKILL');
    await notifier.exited;
    const heardAtKill = heard.length - before;
    await system.restartService('notifier');
    await burst;
    expect(statuses.filter((s) => s !== 201)).toEqual([]);

    const events = await heardEverything();
    const burstEvents = events.filter((e) => e.type === 'KeyIssued');
    expect(burstEvents.length).toBeGreaterThanOrEqual(BURST_ACCOUNTS * BURST_KEYS_PER_ACCOUNT);
    const copies = new Map<string, Heard[]>();
    for (const h of heard) copies.set(h.body.eventId, [...(copies.get(h.body.eventId) ?? []), h]);
    // Every event of the store, at least once; every duplicate the same message, same id.
    expect(events.filter((e) => !copies.has(e.id))).toEqual([]);
    let duplicates = 0;
    expect([...copies.values()].some((all) => all.length > 1)).toBe(true);
    for (const [eventId, all] of copies) {
      duplicates += all.length - 1;
      for (const copy of all) {
        expect(copy.msgId).toBe(eventId);
        expect(copy.body).toEqual(all[0].body);
      }
    }
    // First deliveries keep each stream's order (and the store's).
    const where = new Map(events.map((e) => [e.id, e]));
    const lastRevision = new Map<string, bigint>();
    let lastPosition = -1n;
    for (const h of heard.filter((h, i) => copies.get(h.body.eventId)![0] === heard[i])) {
      const event = where.get(h.body.eventId)!;
      expect(event.revision > (lastRevision.get(event.streamName) ?? -1n)).toBe(true);
      lastRevision.set(event.streamName, event.revision);
      expect(event.position > lastPosition).toBe(true);
      lastPosition = event.position;
    }
    if (!onEventStoreDb) {
      const info = await (await operator.jetstreamManager()).streams.info(NOTIFY_STREAM);
      expect(info.state.messages).toBe(copies.size);
    }
    console.info(
      `notifier on ${_store}: ${burstEvents.length} keys issued in the burst, killed after ` +
        `${heardAtKill} notifications; ${heard.length - before} heard since, ` +
        `${duplicates} duplicates (same event id), ${copies.size} distinct events`,
    );
  }, 180_000);
});

async function runConcurrently<T>(
  jobs: (() => Promise<T>)[],
  width: number,
  onResult: (result: T) => void,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) onResult(await jobs[next++]());
    }),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
