import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import type { RecordedEvent } from '@keyward/event-store';
import {
  NatsJsonClient,
  ReplyErrorException,
  VERIFY_SUBJECTS,
  WEBHOOK_QUERY_SUBJECTS as Q,
  type Notification,
  type VerifyReply,
  type WebhookDeliveryPage,
  type WebhookEndpointPage,
  type WebhookEndpointView,
} from '@keyward/messaging';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import { listenOnNats } from '@keyward/transport';
import { CheckpointStore } from '../src/checkpoint-store';
import { loadConfig } from '../src/config';
import { createWebhookQueries } from '../src/queries/webhook-queries';
import { changesOf } from '../src/store-changes';
import { endpointId, EventLog, keyNotification, T0 } from './recorded-events';

/** Credentials the fake verifier knows: an org admin and a plain member of each org. */
const CALLERS: Record<string, { orgId: string; orgAdmin: boolean }> = {
  'admin-acme': { orgId: 'acme', orgAdmin: true },
  'member-acme': { orgId: 'acme', orgAdmin: false },
  'admin-globex': { orgId: 'globex', orgAdmin: true },
};

describe('webhook queries over NATS (real nats-server, the notifier file, a fake kw.verify)', () => {
  let nats: NatsServerHandle;
  let connection: NatsConnection;
  let app: INestMicroservice;
  let db: CheckpointStore;
  let client: NatsJsonClient;
  const dir = mkdtempSync(join(tmpdir(), 'keyward-webhook-queries-'));
  let now = T0;
  let synced = 0;
  const log = new EventLog(() => now);

  const query = <T>(subject: string, body: object, auth = 'admin-acme') =>
    client.request<T>(subject, body, { authorization: auth });
  async function refusal(call: Promise<unknown>): Promise<string> {
    try {
      await call;
    } catch (error) {
      if (error instanceof ReplyErrorException) return error.error.code;
      throw error;
    }
    throw new Error('expected a refusal');
  }
  function fold(
    ...items: (RecordedEvent | { event: RecordedEvent; notification: Notification })[]
  ) {
    for (const item of items) {
      const { event, notification } = 'event' in item ? item : { event: item, notification: null };
      db.write(event.position, changesOf(event, notification));
    }
  }

  beforeAll(async () => {
    nats = await startNatsServer({ jetstream: false });
    connection = await connect({ servers: nats.url });
    const codec = JSONCodec();
    connection.subscribe(VERIFY_SUBJECTS.verify, {
      callback: (_error, message) => {
        const { authorization } = codec.decode(message.data) as { authorization: string };
        const caller = CALLERS[authorization];
        const data: VerifyReply = caller
          ? {
              valid: true,
              principal: { kind: 'member', id: authorization },
              orgId: caller.orgId,
              orgAdmin: caller.orgAdmin,
              role: null,
              permissions: [],
              resources: [],
              grants: [],
              keyId: 'key_0',
              expiresAt: null,
              position: '1',
            }
          : { valid: false, reason: 'unknown', position: '1' };
        message.respond(codec.encode({ ok: true, data }));
      },
    });
    db = new CheckpointStore(join(dir, 'notifier.sqlite'), { now: () => now });
    for (const n of [1, 2, 3]) {
      now = T0 + n * 1_000;
      fold(log.registered(n, { eventTypes: n === 3 ? ['member.*'] : null }));
    }
    fold(log.registered(4, { orgId: 'globex' }), log.registered(5), log.deleted(5));
    fold(keyNotification(log, 1), keyNotification(log, 2), keyNotification(log, 3));
    const [head] = db.deliveries.due(now, 1, { deliveries: [], endpoints: [] });
    db.deliveries.record({
      delivery: head,
      attempt: 1,
      at: now,
      now,
      outcome: 'failed',
      statusCode: 500,
      latencyMs: 12,
      error: 'HTTP 500',
      retryAt: now + 5_000,
    });
    const config = loadConfig({ NATS_URL: nats.url, LOG_LEVEL: 'warn' });
    app = await createWebhookQueries({
      service: 'keyward-notifier',
      config,
      store: db,
      connection,
      metrics: new Registry(),
      syncWithStore: async () => {
        synced++;
      },
    });
    await listenOnNats(app);
    client = new NatsJsonClient(connection, 5_000);
  }, 30_000);
  afterAll(async () => {
    await app?.close();
    await connection?.drain();
    db?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the organization’s endpoints newest first, paged with opaque cursors', async () => {
    const first = await query<WebhookEndpointPage>(Q.list, { limit: 2 });
    expect(first.items.map((e) => e.id)).toEqual([endpointId(3), endpointId(2)]);
    expect(first.items[0]).toEqual({
      id: endpointId(3),
      url: 'https://hooks.example.com/3',
      description: 'endpoint 3',
      eventTypes: ['member.*'],
      status: 'enabled',
      disabledReason: null,
      createdAt: (T0 + 3_000) / 1000,
      updatedAt: (T0 + 3_000) / 1000,
      failingSince: null,
      lastDeliveryAt: null,
      lastDeliveryStatus: null,
    });
    const rest = await query<WebhookEndpointPage>(Q.list, { limit: 2, cursor: first.nextCursor });
    expect(rest).toEqual({
      items: [expect.objectContaining({ id: endpointId(1) })],
      nextCursor: null,
    });
    expect(await refusal(query(Q.list, { cursor: first.nextCursor }, 'admin-globex'))).toBe(
      'QUERY.INVALID_CURSOR',
    );
    const globex = await query<WebhookEndpointPage>(Q.list, {}, 'admin-globex');
    expect(globex.items.map((e) => e.id)).toEqual([endpointId(4)]);
  });

  it('gets one endpoint with what the dispatcher recorded; another org’s or a deleted one is not found', async () => {
    const view = await query<WebhookEndpointView>(Q.get, { endpointId: endpointId(1) });
    expect(view).toMatchObject({
      lastDeliveryStatus: 'failed',
      lastDeliveryAt: Math.floor(now / 1000),
      failingSince: Math.floor(now / 1000),
    });
    expect(await refusal(query(Q.get, { endpointId: endpointId(4) }))).toBe('WEBHOOK.NOT_FOUND');
    expect(await refusal(query(Q.get, { endpointId: endpointId(5) }))).toBe('WEBHOOK.NOT_FOUND');
    expect(await refusal(query(Q.get, { endpointId: 'whe_nope' }))).toBe('VALIDATION.FAILED');
  });

  it('lists an endpoint’s deliveries newest first with every attempt, filtered by status', async () => {
    const page = await query<WebhookDeliveryPage>(Q.deliveries, { endpointId: endpointId(1) });
    expect(page.items.map((d) => d.type)).toEqual(['key.issued', 'key.issued', 'key.issued']);
    const oldest = page.items[2];
    expect(oldest).toMatchObject({
      status: 'pending',
      nextAttemptAt: now + 5_000,
      attempts: [
        {
          attempt: 1,
          at: now,
          statusCode: 500,
          latencyMs: 12,
          error: 'HTTP 500',
          outcome: 'failed',
        },
      ],
    });
    const first = await query<WebhookDeliveryPage>(Q.deliveries, {
      endpointId: endpointId(1),
      limit: 2,
    });
    const next = await query<WebhookDeliveryPage>(Q.deliveries, {
      endpointId: endpointId(1),
      limit: 2,
      cursor: first.nextCursor,
    });
    expect([...first.items, ...next.items].map((d) => d.id)).toEqual(page.items.map((d) => d.id));
    expect(
      await refusal(query(Q.deliveries, { endpointId: endpointId(2), cursor: first.nextCursor })),
    ).toBe('QUERY.INVALID_CURSOR');
    const delivered = await query<WebhookDeliveryPage>(Q.deliveries, {
      endpointId: endpointId(1),
      status: 'delivered',
    });
    expect(delivered.items).toEqual([]);
    expect(await refusal(query(Q.deliveries, { endpointId: endpointId(4) }))).toBe(
      'WEBHOOK.NOT_FOUND',
    );
  });

  it('reads its own writes: every query first syncs with the store', async () => {
    const before = synced;
    await query(Q.list, {});
    await query(Q.get, { endpointId: endpointId(1) });
    await query(Q.deliveries, { endpointId: endpointId(1) });
    expect(synced - before).toBe(3);
  });

  it('answers org admins only, authenticated through kw.verify', async () => {
    expect(await refusal(query(Q.list, {}, 'member-acme'))).toBe('AUTH.FORBIDDEN');
    expect(await refusal(query(Q.get, { endpointId: endpointId(1) }, 'member-acme'))).toBe(
      'AUTH.FORBIDDEN',
    );
    expect(await refusal(query(Q.list, {}, 'nobody'))).toBe('AUTH.INVALID_CREDENTIAL');
    expect(await refusal(client.request(Q.list, {}))).toBe('AUTH.MISSING_CREDENTIAL');
    expect(await refusal(query(Q.list, { orgId: 'globex' }))).toBe('AUTH.ORG_MISMATCH');
  });
});
