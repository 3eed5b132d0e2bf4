import type { NatsConnection } from 'nats';
import type { EventStore } from '@keyward/event-store';
import { EventFollower } from '../projection/event-follower';
import { ReadModelWriter } from '../projection/read-model-writer';
import { createIndexes, dropReadModels, forRebuild, type Db } from '../store/read-model-db';
import { digestReadModels, type Digest } from '../store/table-digest';
import { UsageFollower } from '../usage/usage-follower';
import { ensureUsageStream } from '../usage/usage-stream';
import { RebuildProgress } from './rebuild-progress';

const INDEX_BITS = 16;

export interface RebuildResult {
  events: number;
  rollups: number;
  /** Replay plus index creation. */
  seconds: number;
  indexSeconds: number;
  /** Events over `seconds`, indexes included. */
  eventsPerSecond: number;
  digest: Digest;
}

/**
 * Drops every read model and replays the store, then the usage stream, up to what they held
 * when the rebuild began; the digest then says whether two copies are identical.
 */
export async function rebuildReadModels(
  db: Db,
  store: EventStore,
  connection: NatsConnection,
  options: { usageStream: string; batchSize: number; quiet?: boolean },
): Promise<RebuildResult> {
  dropReadModels(forRebuild(db));
  const writer = new ReadModelWriter(db);
  const head = await store.headPosition();
  const headCommit = head === null ? 0 : Number(head >> BigInt(INDEX_BITS));
  const progress = new RebuildProgress('events', headCommit, quietStream(options.quiet));
  const events = new EventFollower(store, writer, {
    batchSize: options.batchSize,
    onBatch: (position, applied) =>
      progress.update(Math.floor(position / 2 ** INDEX_BITS), applied),
    onError: (error) =>
      process.stderr.write(`event subscription failed, retrying: ${String(error)}\n`),
  });
  events.start();
  await events.whenCaughtUp();
  await events.stop();
  const replayed = progress.finish(headCommit);

  const jsm = await connection.jetstreamManager();
  await ensureUsageStream(jsm, options.usageStream);
  let rollups = 0;
  const usage = new UsageFollower(connection.jetstream(), jsm, writer, {
    streamName: options.usageStream,
    onBatch: (_sequence, applied) => (rollups += applied),
  });
  usage.start();
  await usage.whenCaughtUp();
  await usage.stop();
  const indexing = Date.now();
  createIndexes(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const indexSeconds = (Date.now() - indexing) / 1000;
  const seconds = replayed.seconds + indexSeconds;
  return {
    events: replayed.events,
    rollups,
    seconds,
    indexSeconds,
    eventsPerSecond: Math.round(replayed.events / seconds),
    digest: digestReadModels(db),
  };
}

function quietStream(quiet: boolean | undefined): NodeJS.WriteStream {
  if (!quiet) return process.stderr;
  return { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
}
