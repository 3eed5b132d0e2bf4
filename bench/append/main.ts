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
import { eventStoreDbAppenders } from './eventstoredb-appends';

/**
 * bench/append: issue-key commands through the whole pipeline (NATS request → command service
 * process → authenticate → read → decide → append → reply) against raw JetStream publishes of
 * the same size, with the same headers, one at a time and with 100 in flight, in one run.
 * Beside them: the EventStoreDB adapter against raw client appends on the wire-compatible test
 * server, which shows the adapter's overhead (the pipeline on EventStoreDB comes with its wiring).
 */
const rootDir = resolve(__dirname, '../../..');
const ACCOUNTS = 100;
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 1000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 5000);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-bench-append-'));
  const system = await startSystem({ dataDir, rootDir });
  const connection = await connect({ servers: system.natsUrl, noAsyncTraces: true });
  try {
    const client = new NatsJsonClient(connection, 30_000);
    const { authorization, accounts } = await prepare(client, system.operatorToken);
    // Each in-flight request works on its own account, as independent callers would.
    const issue = (slot: number) =>
      client.request(
        S.issueServiceAccountKey,
        { id: accounts[slot % ACCOUNTS] },
        { authorization },
      );
    const payloadBytes = await lastStoredMessageSize(connection);
    const raw = await rawAppender(connection, payloadBytes);

    const rows: Measurement[] = [];
    const byIndex = (run: (slot: number) => Promise<unknown>) => (i: number) => run(i);
    const byWorker = (run: (slot: number) => Promise<unknown>) => (_i: number, w: number) => run(w);
    rows.push(await measure('raw JetStream append, 1 in flight', SEQUENTIAL, 1, byIndex(raw)));
    rows.push(await measure('issue-key pipeline, 1 in flight', SEQUENTIAL, 1, byIndex(issue)));
    rows.push(await measure('raw JetStream append, 100 in flight', CONCURRENT, 100, byWorker(raw)));
    rows.push(await measure('issue-key pipeline, 100 in flight', CONCURRENT, 100, byWorker(issue)));
    const esdb = await eventStoreDbAppenders(payloadBytes);
    try {
      // Warm the gRPC channel and both code paths first, so neither row pays for it.
      await measure('warm-up', 500, 10, byIndex(esdb.raw));
      await measure('warm-up', 500, 10, byIndex(esdb.adapter));
      rows.push(
        await measure(
          'raw ESDB client append (wire server), 1 in flight',
          SEQUENTIAL,
          1,
          byIndex(esdb.raw),
        ),
      );
      rows.push(
        await measure(
          'ESDB adapter append (wire server), 1 in flight',
          SEQUENTIAL,
          1,
          byIndex(esdb.adapter),
        ),
      );
      rows.push(
        await measure(
          'raw ESDB client append (wire server), 100 in flight',
          CONCURRENT,
          100,
          byWorker(esdb.raw),
        ),
      );
      rows.push(
        await measure(
          'ESDB adapter append (wire server), 100 in flight',
          CONCURRENT,
          100,
          byWorker(esdb.adapter),
        ),
      );
    } finally {
      await esdb.stop();
    }
    printTable(rows);
    const ratios = {
      sequential: rows[1].perSecond / rows[0].perSecond,
      concurrent: rows[3].perSecond / rows[2].perSecond,
      esdbAdapterSequential: rows[5].perSecond / rows[4].perSecond,
      esdbAdapterConcurrent: rows[7].perSecond / rows[6].perSecond,
    };
    console.log(
      `pipeline / raw append: ${(ratios.sequential * 100).toFixed(1)} % one at a time, ` +
        `${(ratios.concurrent * 100).toFixed(1)} % with 100 in flight (target ≥ 70 %); payload ${payloadBytes} B`,
    );
    console.log(
      `ESDB adapter / raw ESDB client append: ${(ratios.esdbAdapterSequential * 100).toFixed(1)} % one at a time, ` +
        `${(ratios.esdbAdapterConcurrent * 100).toFixed(1)} % with 100 in flight (wire server)`,
    );
    console.log(`results: ${writeResults(rootDir, 'append', { rows, ratios, payloadBytes })}`);
  } finally {
    await connection.drain();
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function prepare(client: NatsJsonClient, operatorToken: string) {
  const boot = await client.request<BootstrapOrganizationReply>(
    S.bootstrapOrganization,
    { orgId: 'bench', name: 'Bench', admin: { userId: 'admin', displayName: 'Admin' } },
    { operatorToken },
  );
  const authorization = `Bearer ${boot.key.secret}`;
  await client.request(
    S.setOrganizationPolicy,
    { maxActiveKeysPerPrincipal: 10_000 },
    { authorization },
  );
  const accounts: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const account = await client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name: `bench-${i}` },
      { authorization },
    );
    accounts.push(account.id);
  }
  return { authorization, accounts };
}

async function lastStoredMessageSize(connection: NatsConnection): Promise<number> {
  const jsm = await connection.jetstreamManager();
  const info = await jsm.streams.info('KEYWARD_EVENTS');
  const last = await jsm.streams.getMessage('KEYWARD_EVENTS', { seq: info.state.last_seq });
  return last.data.length;
}

/** A raw append as the adapter does it: one message, optimistic concurrency and dedup headers. */
async function rawAppender(connection: NatsConnection, bytes: number) {
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
