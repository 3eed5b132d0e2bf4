import type { RecordedEvent } from '@keyward/event-store';
import type { Notification } from '@keyward/messaging';
import { CheckpointStore } from './checkpoint-store';
import { ExpiryScheduler } from './expiry-scheduler';
import { changesOf, expiryChangesIn } from './store-changes';
import { EventLog, keyId as key, T0 } from '../test/recorded-events';

const LEAD = 2_000;

/** Stored events recorded now (the fake clock's now). */
const log = new EventLog(() => Date.now());
const issued = (n: number, expiresAt: number, orgId?: string) =>
  log.keyIssued(n, { expiresAt, orgId });
/** An organization's policy with its expiry notice (seconds; null: the default). */
const policy = (orgId: string, expiryNoticeSeconds: number | null) =>
  log.policySet(expiryNoticeSeconds, { orgId });

describe('ExpiryScheduler (fake clock)', () => {
  let db: CheckpointStore;
  let sent: Notification[];
  let sentAt: number[];
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
        sentAt.push(Date.now());
      },
      { now: () => Date.now(), retryMs: 1_000 },
    );
  const write = (s: ExpiryScheduler | null, ...events: RecordedEvent[]) => {
    const changes = events.flatMap((event) => changesOf(event, null));
    db.write(events[events.length - 1].position, changes);
    s?.deadlinesChanged(expiryChangesIn(changes));
  };
  /** What was sent, when (ms after T0): `5000 key.expiring_soon key_…`. */
  const heard = () => sent.map((n, i) => `${sentAt[i] - T0} ${n.type} ${n.target.id}`);
  // Fake timers move Date.now() too: each timer sees the time it was due at.
  const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    db = new CheckpointStore(':memory:', { defaultExpiryLeadMs: LEAD });
    sent = [];
    sentAt = [];
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
    const revoke = log.keyRevoked(2);
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

  it("each organization's lead: its policy's, the deployment default without one, none with 0", async () => {
    const s = scheduler();
    s.start();
    write(s, policy('beta', 5), policy('gamma', 0));
    write(
      s,
      issued(1, T0 + 10_000),
      issued(2, T0 + 10_001, 'beta'),
      issued(3, T0 + 10_002, 'gamma'),
    );
    await advance(60_000);
    expect(heard()).toEqual([
      `5001 key.expiring_soon ${key(2)}`,
      `8000 key.expiring_soon ${key(1)}`,
      `10000 key.expired ${key(1)}`,
      `10001 key.expired ${key(2)}`,
      `10002 key.expired ${key(3)}`,
    ]);
    expect(sent[0].occurredAt).toBe(new Date(T0 + 5_001).toISOString());
    expect(db.deadlines().map((d) => [d.orgId, d.soon, d.expired])).toEqual([
      ['acme', 'sent', 'sent'],
      ['beta', 'sent', 'sent'],
      ['gamma', 'skipped', 'sent'],
    ]);
    await s.stop();
  });

  it('a change of lead re-plans the pending soon notices; one already sent stays sent', async () => {
    const s = scheduler();
    s.start();
    // The default 2 s: soon at 18, 28 and 58 s.
    write(s, issued(1, T0 + 20_000), issued(2, T0 + 30_000), issued(3, T0 + 60_000));
    await advance(1_000);
    write(s, policy('acme', 5)); // soon at 15, 25 and 55 s
    await advance(14_000);
    expect(heard()).toEqual([`15000 key.expiring_soon ${key(1)}`]);
    // Longer, after key 1's notice: it is not sent again; key 2's comes due at 20 s.
    write(s, policy('acme', 10));
    await advance(5_000);
    expect(heard()).toEqual([
      `15000 key.expiring_soon ${key(1)}`,
      `20000 key.expired ${key(1)}`,
      `20000 key.expiring_soon ${key(2)}`,
    ]);
    // Longer than key 3 has left: due now, and dated now (never before the policy).
    await advance(1_000);
    write(s, policy('acme', 45));
    await advance(0);
    expect(heard()[3]).toBe(`21000 key.expiring_soon ${key(3)}`);
    expect(sent[3].occurredAt).toBe(new Date(T0 + 21_000).toISOString());
    await advance(60_000);
    expect(heard().slice(4)).toEqual([
      `30000 key.expired ${key(2)}`,
      `60000 key.expired ${key(3)}`,
    ]);
    expect(new Set(sent.map((n) => n.eventId)).size).toBe(sent.length);
    await s.stop();
  });

  it('a shorter lead moves a pending notice later; back to null, the default', async () => {
    const s = scheduler();
    s.start();
    write(s, policy('acme', 20), issued(1, T0 + 60_000), issued(2, T0 + 60_001));
    await advance(1_000);
    write(s, policy('acme', 5)); // soon at 55 s
    await advance(30_000);
    write(s, policy('acme', null)); // the default 2 s: soon at 58 s
    await advance(60_000);
    expect(heard()).toEqual([
      `58000 key.expiring_soon ${key(1)}`,
      `58001 key.expiring_soon ${key(2)}`,
      `60000 key.expired ${key(1)}`,
      `60001 key.expired ${key(2)}`,
    ]);
    await s.stop();
  });

  it('lead 0 sends only key.expired; a lead set again plans the soon notices of keys not expired', async () => {
    const s = scheduler();
    s.start();
    write(s, policy('acme', 0), issued(1, T0 + 10_000), issued(2, T0 + 30_000));
    expect(db.deadlines().map((d) => d.soon)).toEqual(['skipped', 'skipped']);
    await advance(10_000);
    expect(heard()).toEqual([`10000 key.expired ${key(1)}`]);
    write(s, policy('acme', 5));
    await advance(30_000);
    expect(heard()).toEqual([
      `10000 key.expired ${key(1)}`,
      `25000 key.expiring_soon ${key(2)}`,
      `30000 key.expired ${key(2)}`,
    ]);
    expect(db.deadlines().map((d) => [d.soon, d.expired])).toEqual([
      ['skipped', 'sent'],
      ['sent', 'sent'],
    ]);
    await s.stop();
  });
});
