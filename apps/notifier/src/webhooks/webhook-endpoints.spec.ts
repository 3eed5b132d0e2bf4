import type { RecordedEvent } from '@keyward/event-store';
import type { Notification } from '@keyward/messaging';
import { CheckpointStore } from '../checkpoint-store';
import { expiryNotification } from '../expiry-deadlines';
import { changesOf } from '../store-changes';
import {
  endpointId,
  endpointOf,
  EventLog,
  keyId,
  keyNotification,
  notificationOf,
  T0,
} from '../../test/recorded-events';

let now = T0;
let log: EventLog;
let db: CheckpointStore;

beforeEach(() => {
  now = T0;
  log = new EventLog(() => now);
  db = new CheckpointStore(':memory:', { now: () => now });
});
afterEach(() => db.close());

/** Checkpoints each event with its changes, as the relay does. */
function fold(...items: (RecordedEvent | { event: RecordedEvent; notification: Notification })[]) {
  for (const item of items) {
    const { event, notification } = 'event' in item ? item : { event: item, notification: null };
    db.write(event.position, changesOf(event, notification));
  }
}

/** An endpoint event with its notification (target the endpoint). */
function notified(event: RecordedEvent, type: Notification['type']) {
  const target = { kind: 'webhookEndpoint' as const, id: endpointOf(event) };
  return { event, notification: notificationOf(event, type, target) };
}

const due = () =>
  db.deliveries
    .due(now, 1000, { deliveries: [], endpoints: [] })
    .map((d) => `${d.endpointId.slice(-1)} ${d.lane}`);
const statuses = (n: number) =>
  db.deliveryLog.page(endpointId(n), null, null, 100).map((d) => d.status);

describe('webhook endpoints folded from the store', () => {
  it('a registration, updates, disable and enable change the row; times from the events', () => {
    fold(log.registered(1, { eventTypes: ['key.*'] }));
    expect(db.endpoints.get('acme', endpointId(1))).toMatchObject({
      url: 'https://hooks.example.com/1',
      description: 'endpoint 1',
      event_types: '["key.*"]',
      sealed_secret: 'sealed-1',
      status: 'enabled',
      created_at: T0,
      updated_at: T0,
      position: '1',
    });
    now = T0 + 1_000;
    fold(log.updated(1, { description: 'renamed' }));
    expect(db.endpoints.get('acme', endpointId(1))).toMatchObject({
      url: 'https://hooks.example.com/1',
      description: 'renamed',
      event_types: '["key.*"]',
      updated_at: T0 + 1_000,
    });
    fold(log.updated(1, { url: 'https://b.example.com/', eventTypes: null }));
    expect(db.endpoints.get('acme', endpointId(1))).toMatchObject({
      url: 'https://b.example.com/',
      event_types: null,
    });
    fold(log.disabled(1, 'failing', T0 - 5_000));
    expect(db.endpoints.get('acme', endpointId(1))).toMatchObject({
      status: 'disabled',
      disabled_reason: 'failing',
      failing_since: T0 - 5_000,
    });
    fold(log.enabled(1));
    expect(db.endpoints.get('acme', endpointId(1))).toMatchObject({
      status: 'enabled',
      disabled_reason: null,
      failing_since: null,
    });
  });

  it('a deleted endpoint, and another organization’s, are not found', () => {
    fold(log.registered(1), log.registered(2, { orgId: 'globex' }), log.deleted(1));
    expect(db.endpoints.get('acme', endpointId(1))).toBeUndefined();
    expect(db.endpoints.get('acme', endpointId(2))).toBeUndefined();
    expect(db.endpoints.get('globex', endpointId(2))).toBeDefined();
  });

  it('lists newest first, after a keyset position', () => {
    for (const n of [1, 2, 3]) {
      now = T0 + n * 1_000;
      fold(log.registered(n));
    }
    const first = db.endpoints.page('acme', null, 2);
    expect(first.map((r) => r.id)).toEqual([endpointId(3), endpointId(2)]);
    const last = first[1];
    expect(db.endpoints.page('acme', [last.created_at, last.id], 2).map((r) => r.id)).toEqual([
      endpointId(1),
    ]);
  });
});

describe('deliveries queued with the checkpoint', () => {
  it('one per enabled endpoint of the organization whose filter takes the type', () => {
    fold(
      log.registered(1),
      log.registered(2, { eventTypes: ['key.*'] }),
      log.registered(3, { eventTypes: ['member.*', 'key.revoked'] }),
      log.registered(4, { orgId: 'globex' }),
      log.registered(5),
      log.disabled(5),
    );
    fold(keyNotification(log, 1));
    expect(due()).toEqual([`1 key:${keyId(1)}`, `2 key:${keyId(1)}`]);
    const [delivery] = db.deliveries.due(now, 1, { deliveries: [], endpoints: [] });
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'key.issued', position: '7' });
    expect(delivery).toMatchObject({ eventId: expect.any(String), url: expect.any(String) });
  });

  it("the endpoint's state at the event decides: its registration is delivered to it, its disabling is not", () => {
    fold(log.registered(1));
    fold(notified(log.registered(2), 'webhook.endpoint_registered'));
    expect(due()).toEqual([
      `1 webhookEndpoint:${endpointId(2)}`,
      `2 webhookEndpoint:${endpointId(2)}`,
    ]);
    fold(notified(log.disabled(1), 'webhook.endpoint_disabled'));
    expect(statuses(1)).toEqual(['abandoned']);
    expect(statuses(2)).toEqual(['pending', 'pending']);
  });

  it('keeps each lane in order: a delivery waits until the one before it in its lane finishes', () => {
    fold(log.registered(1));
    const first = keyNotification(log, 1);
    fold(first, keyNotification(log, 2), { ...keyNotification(log, 1), event: log.keyIssued(9) });
    expect(due()).toEqual([`1 key:${keyId(1)}`, `1 key:${keyId(2)}`]);
    const [head] = db.deliveries.due(now, 1, { deliveries: [], endpoints: [] });
    const record = { delivery: head, attempt: 1, at: now, now, statusCode: 500, latencyMs: 3 };
    db.deliveries.record({ ...record, outcome: 'failed', error: 'HTTP 500', retryAt: now + 5_000 });
    expect(due()).toEqual([`1 key:${keyId(2)}`]);
    now += 5_000;
    db.deliveries.record({
      ...record,
      attempt: 2,
      outcome: 'delivered',
      statusCode: 200,
      error: null,
      retryAt: null,
    });
    expect(due()).toEqual([`1 key:${keyId(2)}`, `1 key:${keyId(1)}`]);
    expect(db.deliveryLog.attemptsOf([head.id]).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'failed'],
      [2, 'delivered'],
    ]);
  });

  it('a disabled or deleted endpoint abandons its pending deliveries; enabled again, only new ones', () => {
    fold(log.registered(1), log.registered(2), keyNotification(log, 1), keyNotification(log, 2));
    fold(log.disabled(1), log.deleted(2));
    expect(statuses(1)).toEqual(['abandoned', 'abandoned']);
    expect(statuses(2)).toEqual(['abandoned', 'abandoned']);
    fold(keyNotification(log, 3));
    expect(due()).toEqual([]);
    fold(log.enabled(1), keyNotification(log, 4));
    expect(due()).toEqual([`1 key:${keyId(4)}`]);
  });

  it('an expiry notice queues its deliveries when it is marked sent, once per id', () => {
    fold(log.registered(1, { eventTypes: ['key.expired'] }));
    const deadline = {
      keyId: keyId(1),
      orgId: 'acme',
      owner: { kind: 'serviceAccount' as const, id: 'sa_x' },
      expiresAt: T0 + 10_000,
      position: '1',
      setAt: T0,
      successorKeyId: null,
      soonAt: T0 + 5_000,
    };
    const notice = expiryNotification(deadline, 'key.expired');
    db.markSent(keyId(1), T0 + 10_000, 'key.expired', true, notice);
    db.markSent(keyId(1), T0 + 10_000, 'key.expired', true, notice);
    const soon = expiryNotification(deadline, 'key.expiring_soon');
    db.markSent(keyId(1), T0 + 10_000, 'key.expiring_soon', false, soon);
    expect(db.deliveryLog.page(endpointId(1), null, null, 10).map((d) => d.event_id)).toEqual([
      notice.eventId,
    ]);
  });

  it('a write failing halfway leaves neither the endpoint, its deliveries nor the checkpoint', () => {
    const registration = log.registered(1);
    const { event, notification } = keyNotification(log, 1);
    const bad = { kind: 'set', deadline: { keyId: 'k', orgId: null } } as never;
    expect(() =>
      db.write(event.position, [
        ...changesOf(registration, null),
        ...changesOf(event, notification),
        bad,
      ]),
    ).toThrow();
    expect(db.endpoints.get('acme', endpointId(1))).toBeUndefined();
    expect(db.deliveries.pending()).toBe(0);
    expect(db.read()).toBeNull();
  });

  it('prunes finished deliveries older than the retention with their attempts, never pending ones', () => {
    fold(log.registered(1), keyNotification(log, 1), keyNotification(log, 2));
    const [head] = db.deliveries.due(now, 1, { deliveries: [], endpoints: [] });
    db.deliveries.record({
      delivery: head,
      attempt: 1,
      at: now,
      now,
      outcome: 'delivered',
      statusCode: 204,
      latencyMs: 1,
      error: null,
      retryAt: null,
    });
    expect(db.deliveries.prune(now)).toBe(0);
    expect(db.deliveries.prune(now + 1)).toBe(1);
    expect(db.deliveryLog.attemptsOf([head.id])).toEqual([]);
    expect(statuses(1)).toEqual(['pending']);
  });
});
