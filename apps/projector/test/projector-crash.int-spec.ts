import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { JetStreamEventStore } from '@keyward/event-store';
import { usageSubject, type KeyUsageRollup } from '@keyward/messaging';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import { launch } from '../../../scripts/lib/service-process';
import { openReadModelDb } from '../src/store/read-model-db';
import { digestReadModels } from '../src/store/table-digest';
import { ensureUsageStream } from '../src/usage/usage-stream';
import { appendSyntheticEvents } from './fixtures/synthetic-events';

/*
 * G5 with real processes: the built projector is killed with SIGKILL at random points of a
 * 50k-event replay, restarted each time, and its tables must then equal a clean rebuild's.
 * Needs `npm run build` (npm test builds before running Jest).
 */
const root = resolve(__dirname, '../../..');
const main = join(root, 'dist/apps/projector/src/main.js');
const rebuild = join(root, 'dist/apps/projector/src/rebuild.js');
const KILLS = 4;
const ROLLUPS = 300;

describe('projector killed with SIGKILL mid-replay (G5, real processes)', () => {
  let nats: NatsServerHandle;
  let connection: NatsConnection;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let head: bigint;
  let events: number;

  beforeAll(async () => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    nats = await startNatsServer();
    connection = await connect({ servers: nats.url });
    dir = mkdtempSync(join(tmpdir(), 'keyward-projector-crash-'));
    env = {
      NATS_URL: nats.url,
      KEYWARD_JETSTREAM_STREAM: 'KW_CRASH',
      KEYWARD_JETSTREAM_SUBJECT_PREFIX: 'kwcrash',
      KEYWARD_PROJECTOR_BATCH_SIZE: '500',
    };
    const store = await JetStreamEventStore.create(connection, {
      streamName: 'KW_CRASH',
      subjectPrefix: 'kwcrash',
    });
    events = await appendSyntheticEvents(store, { orgs: 5, accounts: 6000, keysPerAccount: 4 });
    head = (await store.headPosition()) as bigint;
    await store.close();
    await publishRollups(connection, ROLLUPS);
  }, 60_000);

  afterAll(async () => {
    await connection?.drain();
    await nats?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends with the same digest as a clean rebuild, after several kills', async () => {
    expect(events).toBeGreaterThanOrEqual(50_000);
    // The clean rebuild runs beside the kills (its own process and database, the kills' points
    // are checkpoints, not times), so the second core replays it instead of idling.
    const rebuilt = runRebuild(join(dir, 'clean.sqlite'));
    rebuilt.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile

    const dbPath = join(dir, 'killed.sqlite');
    const killedAt: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      // A random point inside this kill's share of the replay.
      const share = Number(head) / KILLS;
      const target = Math.floor(share * kill + share * (0.2 + 0.6 * Math.random()));
      const projector = await launchProjector(dbPath, 'keyward-projector started');
      await until(() => checkpointOf(dbPath) >= target);
      projector.child.kill('SIGKILL');
      await projector.exited;
      killedAt.push(checkpointOf(dbPath));
    }
    // Every kill landed mid-replay, each one further along.
    expect(
      killedAt.every((p, i) => p > 0 && p < Number(head) && (i === 0 || p >= killedAt[i - 1])),
    ).toBe(true);

    const projector = await launchProjector(dbPath, 'keyward-projector ready');
    await until(() => checkpointOf(dbPath) === Number(head) && usageOf(dbPath) === ROLLUPS);
    await projector.stop();
    const clean = await rebuilt;
    expect(clean.events).toBe(events);

    const db = openReadModelDb(dbPath, { readonly: true });
    const digest = digestReadModels(db);
    db.close();
    expect(digest.tables).toEqual(clean.digest.tables);
    expect(digest.sha256).toBe(clean.digest.sha256);
  }, 90_000);

  async function runRebuild(dbPath: string) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [rebuild, '--json', '--db', dbPath],
      {
        env: { ...process.env, ...env },
      },
    );
    return JSON.parse(stdout) as { events: number; digest: ReturnType<typeof digestReadModels> };
  }

  function launchProjector(dbPath: string, readyLine: string) {
    return launch({
      name: 'projector',
      command: process.execPath,
      args: [main],
      env: { ...env, KEYWARD_PROJECTOR_DB: dbPath },
      logFile: join(dir, 'projector.log'),
      readyLine,
      timeoutMs: 20_000,
    });
  }
});

async function publishRollups(connection: NatsConnection, count: number): Promise<void> {
  await ensureUsageStream(await connection.jetstreamManager());
  const js = connection.jetstream();
  const codec = JSONCodec<KeyUsageRollup>();
  for (let i = 0; i < count; i++) {
    const rollup: KeyUsageRollup = {
      orgId: `org-${i % 5}`,
      keyId: `key_${String(i % 40).padStart(32, '0')}`,
      owner: { kind: 'serviceAccount', id: `sa_${String(i % 40).padStart(32, '0')}` },
      verifierId: 'node-a',
      windowStart: 1_700_000_000_000 + i * 60_000,
      windowEnd: 1_700_000_060_000 + i * 60_000,
      lastUsedAt: 1_700_000_030_000 + i * 60_000,
      uses: i + 1,
      refused: i % 7 === 0 ? 2 : 0,
      refusedByReason: i % 7 === 0 ? { revoked: 2 } : {},
      lastRefusedAt: i % 7 === 0 ? 1_700_000_040_000 + i * 60_000 : null,
    };
    await js.publish(usageSubject(rollup.orgId, rollup.keyId), codec.encode(rollup));
  }
}

function checkpointOf(dbPath: string, name = 'events'): number {
  if (!existsSync(dbPath)) return -1;
  try {
    const db = openReadModelDb(dbPath, { readonly: true });
    try {
      const value = db.prepare(`SELECT position FROM checkpoints WHERE name = ?`).pluck().get(name);
      return (value as number | undefined) ?? -1;
    } finally {
      db.close();
    }
  } catch {
    return -1; // the schema is being created
  }
}

function usageOf(dbPath: string): number {
  return checkpointOf(dbPath, 'usage');
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
