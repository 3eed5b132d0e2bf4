import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type {
  EventStore,
  RecordedEvent,
  Subscription,
  SubscriptionItem,
} from '@keyward/event-store';
import type { Notification } from '@keyward/messaging';
import { CheckpointStore } from './checkpoint-store';
import { NotificationRelay } from './notification-relay';

const sa = { kind: 'serviceAccount' as const, id: 'sa_0123456789abcdef0123456789abcdef' };
const key = (n: number) => `key_${String(n).padStart(32, '0')}`;
const T0 = Date.parse('2026-12-03T10:00:00.000Z');

function issued(n: number, expiresAt: number | null): RecordedEvent {
  const position = BigInt(n);
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
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
    metadata: { eventId: id, actor: { kind: 'member', id: 'dana' } },
    streamName: 'serviceAccount-x',
    revision: 0n,
    position,
  };
}

/** A store holding `events`: a subscription delivers those after `from`, then caught-up, then waits. */
function storeOf(events: RecordedEvent[]): EventStore {
  return {
    subscribeToAll: ({ from }: { from: bigint | 'start' }): Subscription => {
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
    const events = [issued(1, T0 + 1_000), issued(2, null), issued(3, T0 + 2_000)];
    let db = new CheckpointStore(path);
    expect(await follow(db, events.slice(0, 2))).toHaveLength(2);
    expect(db.read()).toBe(2n);
    expect(db.deadlines().map((d) => d.keyId)).toEqual([key(1)]);
    db.close();
    db = new CheckpointStore(path);
    expect((await follow(db, events)).map((n) => n.target.id)).toEqual([key(3)]);
    expect(db.deadlines().map((d) => [d.keyId, d.position])).toEqual([
      [key(1), '1'],
      [key(3), '3'],
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
    const events = [issued(1, T0 + 1_000), issued(2, T0 + 5_000), issued(3, T0 + 9_000)];
    const published = await follow(db, events);
    expect(published.map((n) => n.target.id)).toEqual([key(3)]);
    expect(db.deadlines().map((d) => d.keyId)).toEqual([key(1), key(2), key(3)]);
    expect(db.read()).toBe(3n);
    db.close();
    // Opening it again is no upgrade.
    const again = new CheckpointStore(path);
    expect(again.read()).toBe(3n);
    expect(again.deadlines()).toHaveLength(3);
    again.close();
  });
});
