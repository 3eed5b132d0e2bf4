import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, headers as natsHeaders, type JetStreamClient, type NatsConnection } from 'nats';
import {
  COMMAND_SUBJECTS as S,
  NatsJsonClient,
  type BootstrapOrganizationReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import { startSystem } from '../../scripts/lib/system';
import { measure, printTable, writeResults, type Measurement } from '../lib/measure';
import { EventStoreDbWireServer } from '../../test/eventstoredb-wire-server/wire-server';
import { eventStoreDbAppenders } from './eventstoredb-appends';

/**
 * bench/append: issue-key commands through the whole pipeline (NATS request → command service
 * process → authenticate → read → decide → append → reply) against raw appends of the same
 * size, one at a time and with 100 in flight, in one run: on JetStream (raw publishes with the
 * adapter's headers), and on EventStoreDB's wire protocol (raw client appends, the adapter, and
 * the pipeline on the wire-compatible test server).
 */
const rootDir = resolve(__dirname, '../../..');
const ACCOUNTS = 100;
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 1000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 5000);

type Operation = (slot: number) => Promise<unknown>;
// Sequential rows spread over the accounts; with 100 in flight each worker has its own account.
const byIndex = (run: Operation) => (i: number) => run(i);
const byWorker = (run: Operation) => (_i: number, worker: number) => run(worker);

async function pair(name: string, operation: Operation): Promise<Measurement[]> {
  return [
    await measure(`${name}, 1 in flight`, SEQUENTIAL, 1, byIndex(operation)),
    await measure(`${name}, 100 in flight`, CONCURRENT, 100, byWorker(operation)),
  ];
}

/** A system of processes on a store, an org with 100 accounts, and issue-key as an operation. */
async function withPipeline<T>(
  env: NodeJS.ProcessEnv,
  run: (issue: Operation, connection: NatsConnection) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-bench-append-'));
  const system = await startSystem({ dataDir, rootDir, env });
  // The operator user: the raw-append baseline writes its own stream, which no caller may.
  const connection = await connect({ ...system.natsSettings('operator'), noAsyncTraces: true });
  try {
    const client = new NatsJsonClient(connection, 30_000);
    const { authorization, accounts } = await prepare(client, system.operatorToken);
    const issue = (slot: number) =>
      client.request(
        S.issueServiceAccountKey,
        { id: accounts[slot % ACCOUNTS] },
        { authorization },
      );
    return await run(issue, connection);
  } finally {
    await connection.drain();
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Contention: 100 in flight over only 8 accounts, so requests for one stream meet in one
 * process. Target: within 80 % of the spread-out rate, p99 < 500 ms, no conflict returned.
 */
async function contended(issue: Operation): Promise<{ row: Measurement; conflicts: number }> {
  let conflicts = 0;
  const row = await measure(
    'issue-key pipeline on JetStream, 100 in flight over 8 accounts',
    CONCURRENT,
    100,
    (i) =>
      issue(i % 8).catch((error: { error?: { code?: string } }) => {
        if (error.error?.code !== 'COMMAND.CONCURRENCY_CONFLICT') throw error;
        conflicts++;
      }),
  );
  return { row, conflicts };
}

let contention: { row: Measurement; conflicts: number } | undefined;

async function main(): Promise<void> {
  const rows: Measurement[] = [];
  const payloadBytes = await withPipeline({}, async (issue, connection) => {
    await issue(0);
    const bytes = await lastStoredMessageSize(connection);
    rows.push(...(await pair('raw JetStream append', await rawAppender(connection, bytes))));
    rows.push(...(await pair('issue-key pipeline on JetStream', issue)));
    contention = await contended(issue);
    return bytes;
  });
  const esdb = await eventStoreDbAppenders(payloadBytes);
  try {
    // Warm the gRPC channel and both code paths first, so neither row pays for it.
    await measure('warm-up', 500, 10, byIndex(esdb.raw));
    await measure('warm-up', 500, 10, byIndex(esdb.adapter));
    rows.push(...(await pair('raw ESDB client append (wire server)', esdb.raw)));
    rows.push(...(await pair('ESDB adapter append (wire server)', esdb.adapter)));
  } finally {
    await esdb.stop();
  }
  // A store of its own: the raw rows above wrote synthetic events the services would refuse.
  const pipelineStore = await new EventStoreDbWireServer().start(0);
  try {
    await withPipeline({ EVENT_STORE_URL: pipelineStore.url }, async (issue) => {
      rows.push(...(await pair('issue-key pipeline on ESDB (wire server)', issue)));
    });
  } finally {
    await pipelineStore.stop();
  }
  report(rows, payloadBytes);
  if (contention) {
    printTable([contention.row]);
    const share = (100 * contention.row.perSecond) / rows[3].perSecond;
    console.log(
      `contention, 8 accounts / 100 accounts at 100 in flight: ${share.toFixed(1)} % ` +
        `(target ≥ 80 %), p99 ${contention.row.p99Ms.toFixed(0)} ms (target < 500), ` +
        `${contention.conflicts} conflicts returned (target 0)`,
    );
  }
}

function report(rows: Measurement[], payloadBytes: number): void {
  printTable(rows);
  const ratio = (a: number, b: number) => rows[a].perSecond / rows[b].perSecond;
  const ratios = {
    jetStreamPipeline: { sequential: ratio(2, 0), concurrent: ratio(3, 1) },
    esdbAdapter: { sequential: ratio(6, 4), concurrent: ratio(7, 5) },
    esdbPipeline: { sequential: ratio(8, 4), concurrent: ratio(9, 5) },
  };
  const percent = (r: { sequential: number; concurrent: number }) =>
    `${(r.sequential * 100).toFixed(1)} % one at a time, ${(r.concurrent * 100).toFixed(1)} % with 100 in flight`;
  console.log(
    `pipeline / raw JetStream append: ${percent(ratios.jetStreamPipeline)} (target ≥ 70 %)`,
  );
  console.log(
    `ESDB adapter / raw ESDB client append: ${percent(ratios.esdbAdapter)} (wire server)`,
  );
  console.log(
    `pipeline on ESDB / raw ESDB client append: ${percent(ratios.esdbPipeline)} (wire server)`,
  );
  console.log(`payload ${payloadBytes} B`);
  console.log(`results: ${writeResults(rootDir, 'append', { rows, ratios, payloadBytes })}`);
}

async function prepare(client: NatsJsonClient, operatorToken: string) {
  const boot = await client.request<BootstrapOrganizationReply>(
    S.bootstrapOrganization,
    { orgId: 'bench', name: 'Bench', admin: { userId: 'admin', displayName: 'Admin' } },
    { operatorToken },
  );
  const authorization = `Bearer ${boot.key.secret}`;
  const policy = { maxActiveKeysPerPrincipal: 10_000 };
  await client.request(S.setOrganizationPolicy, policy, { authorization });
  const accounts: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const body = { name: `bench-${i}` };
    const account = await client.request<ServiceAccountReply>(S.createServiceAccount, body, {
      authorization,
    });
    accounts.push(account.id);
  }
  return { authorization, accounts };
}

/** The size of a stored issue-key commit, so raw appends carry the same bytes. */
async function lastStoredMessageSize(connection: NatsConnection): Promise<number> {
  const jsm = await connection.jetstreamManager();
  const info = await jsm.streams.info('KEYWARD_EVENTS');
  const last = await jsm.streams.getMessage('KEYWARD_EVENTS', { seq: info.state.last_seq });
  return last.data.length;
}

/** A raw append as the adapter does it: one message, optimistic concurrency and dedup headers. */
async function rawAppender(connection: NatsConnection, bytes: number): Promise<Operation> {
  const jsm = await connection.jetstreamManager();
  await jsm.streams.add({ name: 'BENCH_RAW', subjects: ['bench.raw.>'] });
  const js: JetStreamClient = connection.jetstream();
  const payload = new Uint8Array(bytes).fill(120);
  const lastSeq = new Map<number, number>();
  let id = 0;
  return async (slot: number) => {
    const subject = slot % ACCOUNTS;
    const ack = await js.publish(`bench.raw.${subject}`, payload, {
      msgID: `raw-${id++}`,
      expect: { lastSubjectSequence: lastSeq.get(subject) ?? 0 },
      headers: natsHeaders(),
    });
    lastSeq.set(subject, ack.seq);
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
