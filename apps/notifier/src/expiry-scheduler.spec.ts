import type { RecordedEvent } from '@keyward/event-store';
import type { Notification } from '@keyward/messaging';
import { CheckpointStore } from './checkpoint-store';
import { deadlineChangesOf } from './expiry-deadlines';
import { ExpiryScheduler } from './expiry-scheduler';

const sa = { kind: 'serviceAccount' as const, id: 'sa_0123456789abcdef0123456789abcdef' };
const key = (n: number) => `key_${String(n).padStart(32, '0')}`;
const T0 = Date.parse('2026-12-03T10:00:00.000Z');
const LEAD = 2_000;

let position = 0n;
function issued(n: number, expiresAt: number): RecordedEvent {
  position += 1n;
  const id = `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`;
  return {
    id,
    type: 'KeyIssued',
    data: {
      orgId: 'acme',
      keyId: key(n),
      owner: sa,
      name: 'k',
      description: '',
      keyHash: 'a'.repeat(64),
      hint: 'kw_live_abcd',
      expiresAt,
    },
    metadata: {
      eventId: id,
      actor: { kind: 'member', id: 'dana' },
      occurredAt: '2026-12-03T10:00:00.000Z',
    },
    streamName: 'serviceAccount-x',
    revision: 0n,
    position,
  };
}

describe('ExpiryScheduler (fake clock)', () => {
  let db: CheckpointStore;
  let sent: Notification[];
  let failNext: boolean;
  const scheduler = (): ExpiryScheduler =>
    new ExpiryScheduler(
      db,
      async (n) => {
        if (failNext) {
          failNext = false;
          throw new Error('no ack');
        }
        sent.push(n);
      },
      { leadMs: LEAD, now: () => Date.now(), retryMs: 1_000 },
    );
  const write = (s: ExpiryScheduler | null, ...events: RecordedEvent[]) => {
    const changes = events.flatMap(deadlineChangesOf);
    db.write(events[events.length - 1].position, changes);
    s?.deadlinesChanged(changes);
  };
  // Fake timers move Date.now() too: each timer sees the time it was due at.
  const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    db = new CheckpointStore(':memory:');
    sent = [];
    failNext = false;
  });
  afterEach(() => jest.useRealTimers());

  it('sends expiring_soon at expiresAt - lead and expired at expiresAt, each once', async () => {
    const s = scheduler();
    s.start();
    write(s, issued(1, T0 + 5_000));
    await advance(2_999);
    expect(sent).toEqual([]);
    await advance(1);
    expect(sent.map((n) => n.eventId)).toEqual([`key.expiring_soon:${key(1)}:${T0 + 5_000}`]);
    await advance(1_999);
    expect(sent).toHaveLength(1);
    await advance(1);
    expect(sent.map((n) => n.type)).toEqual(['key.expiring_soon', 'key.expired']);
    await advance(60_000);
    expect(sent).toHaveLength(2);
    await s.stop();
  });

  it('on start, a key already expired gets only key.expired; one inside the lead its soon now', async () => {
    write(null, issued(1, T0 - 1), issued(2, T0 + 1_000));
    const s = scheduler();
    s.start();
    await advance(0);
    expect(sent.map((n) => `${n.type} ${n.target.id}`)).toEqual([
      `key.expired ${key(1)}`,
      `key.expiring_soon ${key(2)}`,
    ]);
    expect(db.deadlines()[0]).toMatchObject({ soon: 'skipped', expired: 'sent' });
    await s.stop();
  });

  it('a restart after the soon notice sends no second one; a failed publish is retried with the same id', async () => {
    const first = scheduler();
    first.start();
    write(first, issued(1, T0 + 5_000));
    await advance(3_000);
    await first.stop();
    expect(sent.map((n) => n.type)).toEqual(['key.expiring_soon']);
    const second = scheduler();
    second.start();
    failNext = true;
    await advance(2_000);
    expect(sent).toHaveLength(1);
    await advance(1_000);
    expect(sent.map((n) => n.type)).toEqual(['key.expiring_soon', 'key.expired']);
    expect(sent[1].eventId).toBe(`key.expired:${key(1)}:${T0 + 5_000}`);
    await second.stop();
  });

  it('a nearer deadline checkpointed later moves the timer earlier; a revoked key is not notified', async () => {
    const s = scheduler();
    s.start();
    write(s, issued(1, T0 + 60_000));
    write(s, issued(2, T0 + 4_000));
    const revoke: RecordedEvent = {
      ...issued(3, 0),
      type: 'KeyRevoked',
      data: { orgId: 'acme', keyId: key(2), owner: sa, reason: 'manual' },
    };
    await advance(2_000);
    expect(sent.map((n) => n.target.id)).toEqual([key(2)]);
    write(s, revoke);
    await advance(10_000);
    expect(sent).toHaveLength(1);
    await advance(46_000);
    expect(sent.map((n) => `${n.type} ${n.target.id}`)).toEqual([
      `key.expiring_soon ${key(2)}`,
      `key.expiring_soon ${key(1)}`,
    ]);
    await s.stop();
  });
});
