import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import { JetStreamEventStore } from '@keyward/event-store';
import { startNatsServer } from '@keyward/testing';
import { appendSyntheticEvents } from '../../apps/projector/test/fixtures/synthetic-events';
import { rebuildReadModels } from '../../apps/projector/src/rebuild/rebuild-read-models';
import { AuditReader, type AuditFilters } from '../../apps/projector/src/queries/audit-reader';
import { openReadModelDb } from '../../apps/projector/src/store/read-model-db';
import { measure, printTable, writeResults, type Measurement } from '../lib/measure';

/**
 * bench/projection: appends BENCH_EVENTS events (default 1,000,000) with the real shapes
 * straight into JetStream, rebuilds every read model from them through the store
 * subscription (events applied per second, rebuild time), then times filtered audit pages over
 * the resulting audit log, in process (SQL only; the NATS round trip and kw.verify are not in it).
 */
const rootDir = resolve(__dirname, '../../..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2000);
const KEYS_PER_ACCOUNT = 8;
const ORGS = 10;
/** Events per account with 8 keys: name, creation, 8 keys, a revocation and an update, and a tenth of them deleted. */
const EVENTS_PER_ACCOUNT = 12.8;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-projection-'));
  const nats = await startNatsServer({ storeDir: join(dir, 'jetstream') });
  const connection = await connect({ servers: nats.url, noAsyncTraces: true });
  try {
    const store = await JetStreamEventStore.create(connection, {
      streamName: 'KW_BENCH',
      subjectPrefix: 'kwbench',
    });
    const accounts = Math.ceil(EVENTS / EVENTS_PER_ACCOUNT);
    const t0 = Date.now();
    const appended = await appendSyntheticEvents(store, {
      orgs: ORGS,
      accounts,
      keysPerAccount: KEYS_PER_ACCOUNT,
      concurrency: 128,
      startMs: Date.UTC(2026, 0, 1),
    });
    const generateSeconds = (Date.now() - t0) / 1000;
    console.log(`appended ${appended} events in ${generateSeconds.toFixed(1)} s`);

    const db = openReadModelDb(join(dir, 'projector.sqlite'));
    const rebuild = await rebuildReadModels(db, store, connection, {
      usageStream: 'KW_BENCH_USAGE',
      batchSize: 2000,
      quiet: !process.stderr.isTTY,
    });
    console.log(
      `rebuild: ${rebuild.events} events in ${rebuild.seconds.toFixed(1)} s ` +
        `(indexes ${rebuild.indexSeconds.toFixed(1)} s) = ${rebuild.eventsPerSecond} events/s`,
    );
    const auditRows = db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;

    const measured: Measurement[] = [];
    for (const run of auditQueries(db, accounts)) measured.push(await run());
    printTable(measured);
    const p99 = Math.max(...measured.map((m) => m.p99Ms));
    const summary = {
      events: appended,
      generateSeconds,
      rebuildSeconds: rebuild.seconds,
      indexSeconds: rebuild.indexSeconds,
      eventsPerSecond: rebuild.eventsPerSecond,
      rebuild1MSecondsExtrapolated: 1_000_000 / rebuild.eventsPerSecond,
      auditRows,
      auditWorstP99Ms: p99,
      targets: { eventsPerSecond: 20_000, rebuild1MSeconds: 60, auditP99Ms: 20 },
    };
    console.log(
      `events applied: ${rebuild.eventsPerSecond}/s (target ≥ 20000); rebuild of ${appended} events: ` +
        `${rebuild.seconds.toFixed(1)} s (1M extrapolated ${summary.rebuild1MSecondsExtrapolated.toFixed(1)} s, target < 60 s); ` +
        `audit page p99 worst filter: ${p99.toFixed(2)} ms over ${auditRows} entries (target < 20 ms)`,
    );
    console.log(
      `results: ${writeResults(rootDir, 'projection', { summary, audit: measured, digest: rebuild.digest.sha256 })}`,
    );
    db.close();
    await store.close();
  } finally {
    await connection.drain();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Filtered first pages and deep pages of 100 entries, one query at a time. */
function auditQueries(
  db: ReturnType<typeof openReadModelDb>,
  accounts: number,
): (() => Promise<Measurement>)[] {
  const reader = new AuditReader(db);
  const org = (i: number) => `org-${i % ORGS}`;
  const none: AuditFilters = { actor: null, target: null, action: null, from: null, to: null };
  const accountIds = db
    .prepare(`SELECT org_id, account_id FROM service_accounts ORDER BY random() LIMIT 1000`)
    .all() as { org_id: string; account_id: string }[];
  const account = (i: number) => accountIds[i % accountIds.length];
  const run =
    (name: string, filters: (i: number) => AuditFilters, deep = false) =>
    () =>
      measure(name, QUERIES, 1, async (i) => {
        const first = reader.page(org(i), filters(i), 100, null);
        if (deep && first.last) reader.page(org(i), filters(i), 100, first.last);
      });
  const start = Date.UTC(2026, 0, 1) / 1000;
  const span = accounts / 1000;
  return [
    run('audit, org only, first page', () => none),
    run('audit, org only, two pages (cursor)', () => none, true),
    run('audit, actor = admin', () => ({ ...none, actor: 'admin' })),
    () =>
      measure('audit, target = an account (+ its keys)', QUERIES, 1, async (i) => {
        reader.page(account(i).org_id, { ...none, target: account(i).account_id }, 100, null);
      }),
    run('audit, action = key.revoked', () => ({ ...none, action: 'key.revoked' })),
    run('audit, action rare (service_account.deleted)', () => ({
      ...none,
      action: 'service_account.deleted',
    })),
    run('audit, time range (10 s window)', (i) => {
      const from = Math.floor(start + ((i * 31) % Math.max(1, span)));
      return { ...none, from, to: from + 10 };
    }),
    run('audit, actor + action + range', (i) => ({
      ...none,
      actor: 'admin',
      action: 'key.issued',
      from: Math.floor(start + ((i * 31) % Math.max(1, span))),
      to: Math.floor(start + span),
    })),
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
