import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent } from '@keyward/event-store';
import { NOTIFICATION_TYPES, NOTIFY_STREAM, notifySubject } from '@keyward/messaging';
import type { HeardNotification as Heard } from './support/notify-subscriber';
import { NotifySystem } from './support/notify-system';
import { runConcurrently } from './support/run-concurrently';
import { verifySignature, WebhookReceiver, type ReceivedWebhook } from './support/webhook-receiver';

/**
 * Issue 14, first part: apps/notifier publishes `kw.notify.<orgId>.<type>` for every lifecycle
 * event, from the store (never from the command service), at least once across a `kill -9`;
 * and, on each store, delivers the same bytes to a webhook endpoint.
 * `npm run up`'s processes, driven over REST, heard by a plain NATS subscriber (the operator).
 */
const SA = '/api/service-account/v1/service-account';
const WEBHOOKS = '/api/webhook/v1/endpoint';
const BURST_ACCOUNTS = 6;
const BURST_KEYS_PER_ACCOUNT = 100;

const NOT_NOTIFIED = new Set(['ServiceAccountNameReserved', 'ServiceAccountNameReleased']);

describe.each([
  ['JetStream', false],
  ['EventStoreDB (wire-compatible server)', true],
])('notifier on %s', (_store, onEventStoreDb) => {
  // A checkpoint written once a second: the kill then loses up to a second of checkpoints, so
  // the restart publishes some notifications again, and the test sees real duplicates.
  const up = new NotifySystem({
    name: 'keyward-notifier',
    eventStoreDb: onEventStoreDb,
    env: { KEYWARD_NOTIFIER_CHECKPOINT_INTERVAL_MS: '1000' },
  });
  const { heard, http } = up;

  /** Waits until every notifying event of the store has been heard at least once. */
  async function heardEverything(timeoutMs = 60_000): Promise<RecordedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = (await up.storeEvents()).filter((e) => !NOT_NOTIFIED.has(e.type));
      const ids = new Set(heard.map((h) => h.body.eventId));
      const missing = events.filter((e) => !ids.has(e.id));
      if (missing.length === 0) return events;
      if (Date.now() > deadline)
        throw new Error(`${missing.length} events never notified, e.g. ${missing[0].type}`);
      await sleep(200);
    }
  }

  beforeAll(() => up.start(), 120_000);
  afterAll(() => up.stop());

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
      const info = await (await up.operator.jetstreamManager()).streams.info(NOTIFY_STREAM);
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
    const notifier = up.system.services.find((s) => s.name === 'notifier')!;
    notifier.child.kill('SIGKILL');
    await notifier.exited;
    const heardAtKill = heard.length - before;
    await up.system.restartService('notifier');
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
      const info = await (await up.operator.jetstreamManager()).streams.info(NOTIFY_STREAM);
      expect(info.state.messages).toBe(copies.size);
    }
    console.info(
      `notifier on ${_store}: ${burstEvents.length} keys issued in the burst, killed after ` +
        `${heardAtKill} notifications; ${heard.length - before} heard since, ` +
        `${duplicates} duplicates (same event id), ${copies.size} distinct events`,
    );
  }, 180_000);

  it('delivers the same notifications to a webhook endpoint on this store, signed', async () => {
    const receiver = await new WebhookReceiver().start();
    try {
      const endpoint = await http<{ id: string; secret: string }>('POST', WEBHOOKS, {
        url: receiver.url('/hook'),
        eventTypes: ['key.*'],
      });
      expect(endpoint.status).toBe(201);
      const account = await http<{ id: string }>('POST', SA, { name: 'hooked' });
      const key = await http<{ keyId: string }>('POST', `${SA}/${account.body.id}/key`, {});
      expect(key.status).toBe(201);
      const isIssue = (r: ReceivedWebhook) =>
        (JSON.parse(r.body) as { target: { id: string } }).target.id === key.body.keyId;
      const [delivered] = (
        await receiver.until('the key.issued delivery', (all) => all.some(isIssue))
      ).filter(isIssue);
      expect(verifySignature(endpoint.body.secret, delivered)).toEqual({
        standardWebhooks: true,
        keyward: true,
      });
      // Byte for byte the notification published on NATS, under the same id.
      const published = heard.find((h) => h.body.eventId === delivered.id);
      expect(published?.raw).toBe(delivered.body);
      expect(published?.body.type).toBe('key.issued');
      // Only what the filter takes: the account's creation went to NATS, not to the endpoint.
      expect(receiver.requests().map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(
        ['key.issued'],
      );
    } finally {
      await receiver.stop();
    }
  }, 60_000);
});
