import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connect, createInbox, type NatsConnection } from 'nats';
import { JetStreamEventStore, type EventToAppend } from '@keyward/event-store';
import { decodeEvent } from '@keyward/domain';
import {
  NatsJsonClient,
  VERIFIER_SUBJECTS,
  VERIFY_SUBJECTS,
  type AwaitPositionReply,
  type VerifyReply,
} from '@keyward/messaging';
import { startNatsServer } from '@keyward/testing';
import { Freshness, KeyIndex, RevocationFences, Verifier } from '@keyward/verifier';
import { launch, type ServiceProcess } from '../../scripts/lib/service-process';
import { measure, printTable, writeResults, type Measurement } from '../lib/measure';
import {
  accountCreated,
  keyIssued,
  keyRevoked,
  syntheticKeys,
  type SyntheticKey,
} from './synthetic-keys';

/**
 * bench/verify, in one run: in-process verify and malformed rejection; index heap per key;
 * cold start of a verifier process over a store of BENCH_KEYS keys; verify over NATS against a
 * bare NATS echo responder with the same payload sizes and concurrency; and revocation
 * propagation from commit to every verifier applied, under verify load, checking G1 throughout.
 */
const rootDir = resolve(__dirname, '../../..');
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const SAMPLE_EVERY = Math.max(1, Math.floor(KEYS / 20_000));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REVOCATIONS = Number(process.env.BENCH_REVOCATIONS ?? 1000);
const VERIFIERS = Number(process.env.BENCH_VERIFIERS ?? 3);
const EVENTS_PER_COMMIT = 200;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function main(): Promise<void> {
  console.log(`generating ${KEYS} keys (${Math.ceil(KEYS / SAMPLE_EVERY)} with secrets)`);
  const keys = syntheticKeys(KEYS, ACCOUNTS, SAMPLE_EVERY);
  const sampled = keys.filter((key) => key.secret !== undefined);
  const inProcess = measureInProcess(keys, sampled);
  console.log(inProcess);

  const workDir = mkdtempSync(join(tmpdir(), 'keyward-bench-verify-'));
  const nats = await startNatsServer();
  const nc = await connect({ servers: nats.url, noAsyncTraces: true });
  const services: ServiceProcess[] = [];
  try {
    const store = await JetStreamEventStore.create(nc);
    const appendSeconds = await fillStore(store, keys);
    console.log(`store filled with ${KEYS} keys in ${appendSeconds.toFixed(1)} s`);
    const startVerifier = async (id: string) => {
      const started = performance.now();
      services.push(
        await launch({
          name: `verifier ${id}`,
          command: process.execPath,
          args: [join(rootDir, 'dist/apps/auth-verifier/src/main.js')],
          env: { NATS_URL: nats.url, KEYWARD_VERIFIER_ID: id },
          logFile: join(workDir, `verifier-${id}.log`),
          readyLine: 'keyward-auth-verifier ready',
          timeoutMs: 300_000,
        }),
      );
      return (performance.now() - started) / 1000;
    };
    const coldStartSeconds = await startVerifier('v1');
    console.log(`cold start with ${KEYS} keys: ${coldStartSeconds.toFixed(1)} s`);

    const client = new NatsJsonClient(nc, 30_000);
    const body = (i: number) => ({ key: sampled[i % sampled.length].secret });
    const probe = await nc.request(VERIFY_SUBJECTS.verify, JSON.stringify(body(0)));
    const replyBytes = probe.data.length;
    services.push(
      await launch({
        name: 'echo',
        command: process.execPath,
        args: [join(__dirname, 'echo-responder.js'), nats.url, 'bench.echo', String(replyBytes)],
        logFile: join(workDir, 'echo.log'),
        readyLine: 'echo responder ready',
      }),
    );
    const rows: Measurement[] = [];
    // Both sides get the same request bytes and decode a JSON reply of the same size.
    const request = async (subject: string, i: number) =>
      (await nc.request(subject, JSON.stringify(body(i)), { timeout: 30_000 })).json<{
        data: VerifyReply | string;
      }>();
    const echo = (i: number) => request('bench.echo', i);
    const verify = async (i: number) => {
      const reply = (await request(VERIFY_SUBJECTS.verify, i)).data as VerifyReply;
      if (!reply.valid) throw new Error(`verify refused a valid key: ${reply.reason}`);
    };
    await measure('warm-up', 5000, IN_FLIGHT, verify);
    await measure('warm-up', 5000, IN_FLIGHT, echo);
    // Alternating rounds, so load from anything else on the machine hits both sides alike; the
    // ratios come from the round with the median throughput ratio.
    const rounds: { echo: Measurement; verify: Measurement }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const echoRow = await measure(`bare NATS echo, round ${round}`, REQUESTS, IN_FLIGHT, echo);
      const verifyRow = await measure(
        `verify over NATS, round ${round}`,
        REQUESTS,
        IN_FLIGHT,
        verify,
      );
      rounds.push({ echo: echoRow, verify: verifyRow });
    }
    const ratioOf = (r: (typeof rounds)[number]) => r.verify.perSecond / r.echo.perSecond;
    const median = [...rounds].sort((a, b) => ratioOf(a) - ratioOf(b))[Math.floor(ROUNDS / 2)];
    rows.push(median.echo, median.verify);

    await Promise.all(Array.from({ length: VERIFIERS - 1 }, (_, i) => startVerifier(`v${i + 2}`)));
    const propagation = await measurePropagation(nc, store, client, sampled);
    rows.push(propagation.row);
    printTable([...rounds.flatMap((r) => [r.echo, r.verify]), propagation.row]);

    const ratios = {
      throughput: rows[1].perSecond / rows[0].perSecond,
      p99: rows[1].p99Ms / rows[0].p99Ms,
    };
    const summary = {
      keys: KEYS,
      inProcess,
      coldStartSeconds,
      appendSeconds,
      replyBytes,
      ratios,
      propagation: {
        ...propagation.row,
        violations: propagation.violations,
        verifies: propagation.verifies,
      },
      rows,
      rounds,
    };
    console.log(
      [
        `verify / echo throughput: ${(ratios.throughput * 100).toFixed(1)} % (target ≥ 90 %)`,
        `verify / echo p99: ${ratios.p99.toFixed(2)}× (target ≤ 1.2×)`,
        `in-process verify: ${Math.round(inProcess.verifyPerSecond)}/s (target ≥ 500k)`,
        `malformed rejection: ${Math.round(inProcess.malformedPerSecond)}/s with a bad checksum (a full CRC pass), ${Math.round(inProcess.garbagePerSecond)}/s with a bad length (target ≥ 5M)`,
        `heap per key: ${inProcess.heapBytesPerKey.toFixed(0)} B (target ≤ 200)`,
        `cold start, ${KEYS} keys: ${coldStartSeconds.toFixed(1)} s (target < 20 s)`,
        `revocation commit → ${VERIFIERS} verifiers applied: p50 ${propagation.row.p50Ms.toFixed(2)} ms, p99 ${propagation.row.p99Ms.toFixed(2)} ms`,
        `G1: ${REVOCATIONS - propagation.violations.length} of ${REVOCATIONS} revocations never accepted after all verifiers applied (${propagation.verifies} verifies under load)`,
      ].join('\n'),
    );
    console.log(`results: ${writeResults(rootDir, 'verify', summary)}`);
  } finally {
    for (const service of services.reverse()) await service.stop();
    await nc.drain();
    await nats.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function measureInProcess(keys: SyntheticKey[], sampled: SyntheticKey[]) {
  // The events exist as JSON before the measurement and stay alive after it, as the store's
  // commits would: only what the index itself keeps is counted.
  const chunks: string[] = [];
  const seen = new Set<string>();
  for (let start = 0; start < keys.length; start += 10_000) {
    const events: unknown[] = [];
    for (const key of keys.slice(start, start + 10_000)) {
      if (!seen.has(key.accountId)) {
        seen.add(key.accountId);
        events.push(accountCreated(key.accountId));
      }
      events.push(keyIssued(key));
    }
    chunks.push(JSON.stringify(events));
  }
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const index = new KeyIndex();
  for (const chunk of chunks) {
    // As the follower does: every stored event through the domain's decoder.
    for (const stored of JSON.parse(chunk) as { type: string; data: unknown }[]) {
      const decoded = decodeEvent({ ...stored, metadata: {} });
      if (decoded.known) index.apply(decoded.event);
    }
  }
  gc();
  gc();
  const heapBytesPerKey = (process.memoryUsage().heapUsed - before) / keys.length;
  if (chunks.length === 0) throw new Error('no keys');

  const freshness = new Freshness(Number.MAX_SAFE_INTEGER, () => performance.now());
  freshness.headObserved(null, performance.now());
  const verifier = new Verifier(index, freshness, new RevocationFences(() => true));
  const secrets = sampled.map((key) => key.secret as string);
  const bad = secrets.map((secret) => `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`);
  const rate = (values: string[], expectValid: boolean) => {
    let operations = 0;
    const started = performance.now();
    while (performance.now() - started < 1000) {
      for (let i = 0; i < 10_000; i++) {
        const outcome = verifier.verify(values[i % values.length], true);
        if (outcome.valid !== expectValid) throw new Error('unexpected outcome');
      }
      operations += 10_000;
    }
    return operations / ((performance.now() - started) / 1000);
  };
  const garbage = secrets.map((secret) => `kw_live_${secret.slice(9)}`);
  rate(secrets, true);
  const verifyPerSecond = rate(secrets, true);
  rate(bad, false);
  const malformedPerSecond = rate(bad, false);
  const garbagePerSecond = rate(garbage, false);
  return {
    indexedKeys: index.size,
    heapBytesPerKey,
    verifyPerSecond,
    malformedPerSecond,
    garbagePerSecond,
  };
}

async function fillStore(store: JetStreamEventStore, keys: SyntheticKey[]): Promise<number> {
  const started = performance.now();
  const byAccount = new Map<string, SyntheticKey[]>();
  for (const key of keys) {
    const list = byAccount.get(key.accountId) ?? [];
    list.push(key);
    byAccount.set(key.accountId, list);
  }
  const commits: { stream: string; events: EventToAppend[] }[] = [];
  let n = 0;
  const envelope = (event: { type: string; data: unknown }): EventToAppend => ({
    id: `bench-${n++}`,
    type: event.type,
    data: event.data,
    metadata: {},
  });
  for (const [accountId, accountKeys] of byAccount) {
    const stream = `serviceAccount-${accountId}`;
    const events = [
      envelope(accountCreated(accountId)),
      ...accountKeys.map((k) => envelope(keyIssued(k))),
    ];
    for (let i = 0; i < events.length; i += EVENTS_PER_COMMIT) {
      commits.push({ stream, events: events.slice(i, i + EVENTS_PER_COMMIT) });
    }
  }
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < commits.length; i = next++) {
      await store.appendToStream(commits[i].stream, commits[i].events, { expectedRevision: 'any' });
    }
  };
  // One worker per stream would reorder a stream's commits; accounts interleave instead.
  commits.sort((a, b) => a.stream.localeCompare(b.stream));
  await Promise.all(Array.from({ length: 1 }, worker));
  return (performance.now() - started) / 1000;
}

async function measurePropagation(
  nc: NatsConnection,
  store: JetStreamEventStore,
  client: NatsJsonClient,
  sampled: SyntheticKey[],
) {
  const total = Math.min(REVOCATIONS, sampled.length);
  const appliedAt = new Array<number>(total).fill(Number.POSITIVE_INFINITY);
  const violations: string[] = [];
  let current = 0;
  let running = true;
  let verifies = 0;
  const load = async (seed: number) => {
    for (let n = seed; running; n++) {
      const index = Math.min(total - 1, Math.max(0, current - 2 + (n % 5)));
      const sentAt = performance.now();
      const reply = await client.request<VerifyReply>(VERIFY_SUBJECTS.verify, {
        key: sampled[index].secret,
      });
      verifies += 1;
      if (reply.valid && sentAt > appliedAt[index]) violations.push(sampled[index].keyId);
    }
  };
  const loaders = Array.from({ length: 20 }, (_, i) => load(i));
  const latencies: number[] = [];
  const row = await measure(
    `revocation commit → ${VERIFIERS} verifiers applied`,
    total,
    1,
    async (i) => {
      current = i;
      const key = sampled[i];
      const { position } = await store.appendToStream(
        `serviceAccount-${key.accountId}`,
        [{ id: `revoke-${i}`, type: 'KeyRevoked', data: keyRevoked(key).data, metadata: {} }],
        { expectedRevision: 'any' },
      );
      const committedAt = performance.now();
      await allApplied(nc, position.toString());
      appliedAt[i] = performance.now();
      latencies.push(appliedAt[i] - committedAt);
    },
  );
  running = false;
  await Promise.all(loaders);
  // The row's latency is commit → all applied, without the append itself.
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(total - 1, Math.floor(q * total))];
  return { row: { ...row, p50Ms: at(0.5), p99Ms: at(0.99) }, violations, verifies };
}

/** The command service's question to every node; resolves once all VERIFIERS answered applied. */
function allApplied(nc: NatsConnection, position: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const inbox = createInbox();
    const applied = new Set<string>();
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`only ${applied.size} verifiers applied ${position}`));
    }, 10_000);
    const subscription = nc.subscribe(inbox, {
      callback: (error, msg) => {
        if (error) return;
        const answer = JSON.parse(new TextDecoder().decode(msg.data)) as AwaitPositionReply;
        if (answer.state === 'applied') applied.add(answer.verifierId);
        if (applied.size < VERIFIERS) return;
        clearTimeout(timer);
        subscription.unsubscribe();
        resolvePromise();
      },
    });
    nc.publish(VERIFIER_SUBJECTS.awaitPosition, JSON.stringify({ position, keyIds: [] }), {
      reply: inbox,
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
