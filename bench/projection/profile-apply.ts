import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { JetStreamEventStore, type RecordedEvent } from '@keyward/event-store';
import { startNatsServer } from '@keyward/testing';
import { appendSyntheticEvents } from '../../apps/projector/test/fixtures/synthetic-events';
import { ReadModelWriter } from '../../apps/projector/src/projection/read-model-writer';
import { openReadModelDb } from '../../apps/projector/src/store/read-model-db';

/** Splits a replay's cost: reading through the store subscription vs applying to SQLite. */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-profile-'));
  const nats = await startNatsServer({ storeDir: join(dir, 'js') });
  const connection = await connect({ servers: nats.url, noAsyncTraces: true });
  try {
    const store = await JetStreamEventStore.create(connection, {
      streamName: 'P',
      subjectPrefix: 'p',
    });
    const n = await appendSyntheticEvents(store, {
      orgs: 10,
      accounts: Number(process.env.ACCOUNTS ?? 8000),
      keysPerAccount: 8,
      concurrency: 128,
    });
    const events: RecordedEvent[] = [];
    let t = Date.now();
    for await (const item of store.subscribeToAll({ from: 'start' })) {
      if (item.kind === 'event') events.push(item.event);
      else break;
    }
    const readS = (Date.now() - t) / 1000;
    const db = openReadModelDb(join(dir, 'p.sqlite'));
    for (const pragma of (process.env.PRAGMAS ?? '').split(';').filter(Boolean)) db.exec(pragma);
    const writer = new ReadModelWriter(db);
    t = Date.now();
    for (let i = 0; i < events.length; i += 2000) writer.applyEvents(events.slice(i, i + 2000));
    const applyS = (Date.now() - t) / 1000;
    console.log(
      `${n} events: subscription ${Math.round(n / readS)}/s, SQLite apply ${Math.round(n / applyS)}/s`,
    );
    db.close();
    await store.close();
  } finally {
    await connection.drain();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
void main();
