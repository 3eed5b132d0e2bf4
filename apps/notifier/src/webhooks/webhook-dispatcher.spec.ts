import type { RecordedEvent } from '@keyward/event-store';
import type { Notification } from '@keyward/messaging';
import { CheckpointStore } from '../checkpoint-store';
import { changesOf, type StoreChange } from '../store-changes';
import { endpointId, EventLog, keyId, keyNotification, T0 } from '../../test/recorded-events';
import type { AttemptResult } from './delivery-queue';
import { EndpointSecrets } from './endpoint-secrets';
import type { FailingEndpoint } from './endpoint-table';
import { WebhookDispatcher, type DispatcherOptions } from './webhook-dispatcher';
import type { WebhookRequest } from './webhook-sender';

const ok: AttemptResult = { outcome: 'delivered', statusCode: 200, latencyMs: 2, error: null };
const http500: AttemptResult = {
  outcome: 'failed',
  statusCode: 500,
  latencyMs: 2,
  error: 'HTTP 500',
};

describe('WebhookDispatcher (fake clock)', () => {
  let db: CheckpointStore;
  let log: EventLog;
  let sent: { request: WebhookRequest; at: number }[];
  let answer: (request: WebhookRequest) => Promise<AttemptResult>;
  let disabled: FailingEndpoint[];
  let logged: { warn: jest.Mock; error: jest.Mock };
  let dispatcher: WebhookDispatcher | undefined;

  const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);
  const box = { seal: (s: string) => s, open: (sealed: string) => `whsec_${sealed}` };

  function start(options: Partial<DispatcherOptions> = {}): WebhookDispatcher {
    const started = new WebhookDispatcher(
      db.deliveries,
      db.endpoints,
      new EndpointSecrets(box),
      async (request) => {
        sent.push({ request, at: Date.now() });
        return answer(request);
      },
      {
        concurrency: 4,
        retry: { baseMs: 1_000, maxMs: 8_000, forMs: 3_600_000 },
        disableAfterMs: 3_600_000,
        disable: async (endpoint) => {
          disabled.push(endpoint);
        },
        retentionMs: 86_400_000,
        log: logged,
        random: () => 1,
        ...options,
      },
    );
    started.start();
    dispatcher = started;
    return started;
  }

  /** Checkpoints events as the relay does and tells the dispatcher, as main does. */
  function fold(
    ...items: (RecordedEvent | { event: RecordedEvent; notification: Notification })[]
  ) {
    const changes: StoreChange[] = [];
    let position = 0n;
    for (const item of items) {
      const { event, notification } = 'event' in item ? item : { event: item, notification: null };
      changes.push(...changesOf(event, notification));
      position = event.position;
    }
    db.write(position, changes);
    dispatcher?.changed(changes);
  }

  const lanes = () => sent.map((s) => JSON.parse(s.request.body).target.id.slice(-1));
  const statuses = (n = 1) =>
    db.deliveryLog.page(endpointId(n), null, null, 100).map((d) => d.status);

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    db = new CheckpointStore(':memory:', { now: () => Date.now() });
    log = new EventLog(() => Date.now());
    sent = [];
    answer = async () => ok;
    disabled = [];
    logged = { warn: jest.fn(), error: jest.fn() };
  });
  afterEach(async () => {
    await dispatcher?.stop();
    db.close();
    jest.useRealTimers();
  });

  it('attempts a checkpointed delivery at once, signed with the opened secret; no poll needed', async () => {
    const first = jest.fn();
    start({ onFirstAttempt: first });
    fold(log.registered(1));
    await advance(1_000);
    sent = [];
    fold(keyNotification(log, 1));
    await advance(0);
    expect(sent).toHaveLength(1);
    await advance(1); // the end of an attempt is recorded on the next turn
    expect(sent[0].request).toMatchObject({
      url: 'https://hooks.example.com/1',
      secret: 'whsec_sealed-1',
      id: expect.stringMatching(/^00000000-/),
    });
    expect(first).toHaveBeenLastCalledWith(0);
    expect(statuses()).toEqual(['delivered']);
    expect(db.endpoints.get('acme', endpointId(1))).toMatchObject({
      last_delivery_status: 'delivered',
      last_delivery_at: T0 + 1_000,
    });
  });

  it('keeps each lane in order with one attempt in flight, and at most `concurrency` in all', async () => {
    const waiting: (() => void)[] = [];
    answer = () => new Promise((resolve) => waiting.push(() => resolve(ok)));
    start({ concurrency: 3, perEndpoint: 3 });
    fold(log.registered(1, { eventTypes: ['key.*'] }));
    fold(
      keyNotification(log, 1),
      { ...keyNotification(log, 1), event: log.keyIssued(7) },
      keyNotification(log, 2),
      keyNotification(log, 3),
      keyNotification(log, 4),
    );
    await advance(0);
    expect(lanes()).toEqual(['1', '2', '3']);
    waiting.shift()?.();
    await advance(0);
    expect(lanes()).toEqual(['1', '2', '3', '1']);
    while (waiting.length > 0) {
      waiting.shift()?.();
      await advance(0);
    }
    expect(lanes()).toEqual(['1', '2', '3', '1', '4']);
    expect(statuses()).toEqual(Array(5).fill('delivered'));
  });

  it('an endpoint that hangs takes at most three quarters of the concurrency; the others go on', async () => {
    answer = (request) =>
      request.url.endsWith('/1')
        ? new Promise<AttemptResult>(() => undefined)
        : Promise.resolve(ok);
    start({ concurrency: 4 });
    fold(log.registered(1), log.registered(2, { orgId: 'globex' }));
    for (const n of [1, 2, 3, 4, 5])
      fold(keyNotification(log, n), keyNotification(log, n, 'globex'));
    await advance(100);
    const to = (url: string) => sent.filter((s) => s.request.url.endsWith(url)).length;
    expect(to('/1')).toBe(3);
    expect(to('/2')).toBe(5);
    expect(dispatcher?.active).toBe(3);
    // Its attempts never end: stop without waiting for them.
    void dispatcher?.stop();
    dispatcher = undefined;
  });

  it('retries a failing delivery with backoff until the retry window ends, then it is failed', async () => {
    answer = async () => http500;
    start({ retry: { baseMs: 1_000, maxMs: 8_000, forMs: 60_000 } });
    fold(log.registered(1), keyNotification(log, 1));
    await advance(120_000);
    // random() = 1: delays 1, 2, 4, 8, 8… s; the next after 55 s would be at 63 s.
    expect(sent.map((s) => (s.at - T0) / 1000)).toEqual([0, 1, 3, 7, 15, 23, 31, 39, 47, 55]);
    const [delivery] = db.deliveryLog.page(endpointId(1), null, null, 1);
    expect(delivery).toMatchObject({ status: 'failed', next_attempt_at: null });
    const attempts = db.deliveryLog.attemptsOf([delivery.id]);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(attempts[9]).toMatchObject({ status_code: 500, error: 'HTTP 500', outcome: 'failed' });
    expect(sent.every((s) => s.request.id === sent[0].request.id)).toBe(true);
  });

  it('disables an endpoint failing for the whole window, at its end, and attempts nothing meanwhile', async () => {
    answer = async () => http500;
    start({ disableAfterMs: 30_000 });
    fold(log.registered(1), log.registered(2), keyNotification(log, 1));
    await advance(29_999);
    expect(disabled).toEqual([]);
    await advance(1);
    expect(disabled).toEqual([
      expect.objectContaining({ id: endpointId(1), failingSince: T0, lastError: 'HTTP 500' }),
      expect.objectContaining({ id: endpointId(2), failingSince: T0, lastError: 'HTTP 500' }),
    ]);
    const attempted = sent.length;
    fold(keyNotification(log, 2));
    await advance(60_000);
    expect(sent).toHaveLength(attempted);
    expect(disabled).toHaveLength(2);
    // The command service records the disabling; once folded, what was pending is abandoned.
    fold(log.disabled(1, 'failing', T0), log.disabled(2, 'failing', T0));
    expect(statuses(1)).toEqual(['abandoned', 'abandoned']);
    expect(db.deliveries.pending()).toBe(0);
  });

  it('a success restarts the failing window', async () => {
    let fail = true;
    answer = async () => (fail ? http500 : ok);
    start({ disableAfterMs: 30_000 });
    fold(log.registered(1, { eventTypes: ['key.*'] }), keyNotification(log, 1));
    await advance(20_000);
    fail = false;
    await advance(8_000); // the retry at 23 s succeeds
    fail = true;
    fold(keyNotification(log, 2));
    await advance(1);
    expect(db.endpoints.get('acme', endpointId(1))?.failing_since).toBe(T0 + 28_000);
    await advance(29_998);
    expect(disabled).toEqual([]);
    await advance(1);
    expect(disabled.map((e) => e.failingSince)).toEqual([T0 + 28_000]);
  });

  it('without an operator token, logs a failing endpoint once and keeps delivering to it', async () => {
    answer = async () => http500;
    start({ disableAfterMs: 5_000, disable: null });
    fold(log.registered(1), keyNotification(log, 1));
    await advance(30_000);
    expect(logged.error).toHaveBeenCalledTimes(1);
    expect(String(logged.error.mock.calls[0][0])).toMatch(/no KEYWARD_OPERATOR_TOKEN/);
    const before = sent.length;
    await advance(16_000);
    expect(sent.length).toBeGreaterThan(before);
    expect(statuses()).toEqual(['pending']);
  });

  it('a refused disable request resumes attempts and is asked again later', async () => {
    answer = async () => http500;
    let refuse = true;
    const asked: number[] = [];
    start({
      disableAfterMs: 5_000,
      disableRetryMs: 20_000,
      disable: async () => {
        asked.push(Date.now() - T0);
        if (refuse) throw new Error('SERVICE.UNAVAILABLE');
      },
    });
    fold(log.registered(1, { eventTypes: ['key.*'] }), keyNotification(log, 1));
    await advance(5_000);
    expect(asked).toEqual([5_000]);
    expect(logged.error).toHaveBeenCalledWith(expect.stringMatching(/failed, retrying later/));
    const before = sent.length;
    await advance(19_000);
    expect(sent.length).toBeGreaterThan(before);
    refuse = false;
    await advance(1_000);
    expect(asked).toEqual([5_000, 25_000]);
  });

  it('an attempt in flight when its endpoint is disabled is logged, and its delivery stays abandoned', async () => {
    let finish!: () => void;
    answer = () => new Promise((resolve) => (finish = () => resolve(ok)));
    start();
    fold(log.registered(1), keyNotification(log, 1));
    await advance(0);
    fold(log.disabled(1));
    finish();
    await advance(0);
    const [delivery] = db.deliveryLog.page(endpointId(1), null, null, 1);
    expect(delivery.status).toBe('abandoned');
    expect(db.deliveryLog.attemptsOf([delivery.id]).map((a) => a.outcome)).toEqual(['delivered']);
    expect(lanes()).toEqual([keyId(1).slice(-1)]);
  });

  it('a secret that does not open fails the attempt with the reason', async () => {
    dispatcher = new WebhookDispatcher(
      db.deliveries,
      db.endpoints,
      new EndpointSecrets(null),
      async () => ok,
      {
        concurrency: 1,
        retry: { baseMs: 1_000, maxMs: 1_000, forMs: 10_000 },
        disableAfterMs: 3_600_000,
        disable: null,
        retentionMs: 1,
        log: logged,
      },
    );
    dispatcher.start();
    fold(log.registered(1), keyNotification(log, 1));
    await advance(1);
    const [delivery] = db.deliveryLog.page(endpointId(1), null, null, 1);
    expect(db.deliveryLog.attemptsOf([delivery.id])[0].error).toMatch(
      /signing secret cannot be opened: .*KEYWARD_WEBHOOK_SECRET_KEY/,
    );
  });
});
