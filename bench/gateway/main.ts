import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { connect } from 'nats';
import {
  COMMAND_SUBJECTS as C,
  NatsJsonClient,
  QUERY_SUBJECTS as Q,
  type BootstrapOrganizationReply,
  type IssuedKeyReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import { measure, printTable, writeResults, type Measurement } from '../lib/measure';
import { freePort } from '../../scripts/lib/free-port';
import { launch } from '../../scripts/lib/service-process';
import { startSystem } from '../../scripts/lib/system';

/**
 * `npm run bench:gateway`: the HTTP edge against its baselines, in one run on one machine, as
 * ratios (README: Benchmarks): forward-auth vs a bare Fastify route, GET one account through the gateway vs
 * the same query over NATS, issue-key through the gateway vs over NATS.
 */
const rootDir = resolve(__dirname, '../../..');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SA = '/api/service-account/v1/service-account';
const NATS_OPS = Number(process.env.BENCH_NATS_OPS ?? 20_000);
/** Each pair is measured in this many rounds, in the order A B, B A, A B, B A, … */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

async function cannon(
  name: string,
  url: string,
  options: {
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    /** Each request's path, by request number (spreads writes over many streams). */
    pathOf?: (n: number) => string;
  } = {},
): Promise<Measurement> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    ...(options.pathOf ? { requests: [{ setupRequest: nextPath(options.pathOf) }] } : {}),
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) {
    const statuses = JSON.stringify(result.statusCodeStats);
    throw new Error(`${name}: ${bad} of ${result.requests.total} requests failed (${statuses})`);
  }
  console.log(
    `${name}: ${Math.round(result.requests.total / SECONDS)}/s, p99 ${result.latency.p99} ms`,
  );
  return {
    name,
    operations: result.requests.total,
    concurrency: CONNECTIONS,
    seconds: SECONDS,
    perSecond: result.requests.total / SECONDS,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/**
 * Measures `a` and `b` in `ROUNDS` rounds, each side first in every other round (A B, B A, …), so
 * that drift on a shared machine (other tenants, frequency scaling, the store growing) falls on
 * both alike and a steady trend cancels out; each side's row sums its rounds, with the median of
 * the rounds' p50 and p99.
 */
async function alternate(
  a: () => Promise<Measurement>,
  b: () => Promise<Measurement>,
): Promise<[Measurement, Measurement]> {
  const as: Measurement[] = [];
  const bs: Measurement[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return [combine(as), combine(bs)];
}

function combine(rounds: Measurement[]): Measurement {
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1];
  const operations = rounds.reduce((sum, r) => sum + r.operations, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  return {
    ...rounds[0],
    operations,
    seconds,
    perSecond: operations / seconds,
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
  };
}

function nextPath(pathOf: (n: number) => string) {
  let n = 0;
  return (request: autocannon.Request) => ({ ...request, path: pathOf(n++) });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-bench-gateway-'));
  // No rate limit (one key makes every request) and no per-request log line in the measurement.
  if (process.env.KEYWARD_KEEP_LOGS) console.log(`logs: ${dataDir}/logs`);
  const system = await startSystem({
    dataDir,
    rootDir,
    env: { KEYWARD_GATEWAY_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
  });
  const barePort = await freePort();
  const bare = await launch({
    name: 'bare-fastify',
    command: process.execPath,
    args: [join(__dirname, 'bare-fastify.js'), String(barePort)],
    logFile: join(dataDir, 'logs', 'bare-fastify.log'),
    readyLine: 'bare fastify ready',
  });
  const connection = await connect({
    ...system.natsSettings('internal-client'),
    noAsyncTraces: true,
  });
  try {
    const client = new NatsJsonClient(connection, 30_000);
    const boot = await client.request<BootstrapOrganizationReply>(
      C.bootstrapOrganization,
      { orgId: 'bench', name: 'Bench', admin: { userId: 'admin', displayName: 'Admin' } },
      { operatorToken: system.operatorToken },
    );
    const authorization = `Bearer ${boot.key.secret}`;
    await client.request(
      C.setOrganizationPolicy,
      { maxActiveKeysPerPrincipal: 10_000 },
      { authorization },
    );
    const account = await client.request<ServiceAccountReply>(
      C.createServiceAccount,
      { name: 'bench', role: 'reader', resources: ['db:bench'] },
      { authorization },
    );
    // Writes go to 100 accounts, as in bench:append: one stream per account, no contention.
    const accounts = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        client.request<ServiceAccountReply>(
          C.createServiceAccount,
          { name: `w${i}` },
          { authorization },
        ),
      ),
    );
    const key = await client.request<IssuedKeyReply>(
      C.issueServiceAccountKey,
      { id: account.id },
      { authorization },
    );
    const rows: Measurement[] = [];
    const keyAuth = { authorization: `Bearer ${key.secret}` };
    // Both sides warmed on exactly what is measured (the first requests of a route compile its
    // path, and forward-auth's caches fill per query string and key), then the pairs back to back.
    const bareUrl = `http://127.0.0.1:${barePort}/anything`;
    const forwardUrl = `${system.gatewayUrl}/api/auth/v1/forward?permission=read&resource=db:bench`;
    await cannon('warm-up', bareUrl);
    await cannon('warm-up', forwardUrl, { headers: keyAuth });
    const [bareRow, forwardRow] = await alternate(
      () => cannon('bare Fastify route', bareUrl),
      () => cannon('forward-auth, valid key', forwardUrl, { headers: keyAuth }),
    );
    rows.push(bareRow, forwardRow);

    const getPath = `/api/service-account/v1/service-account/${account.id}`;
    // Both sides warm (the route's first requests compile Nest's and Fastify's paths for it).
    await cannon('warm-up', `${system.gatewayUrl}${getPath}`, { headers: { authorization } });
    await measure('warm-up', Math.min(NATS_OPS, 5_000), CONNECTIONS, () =>
      client.request(Q.getServiceAccount, { id: account.id }, { authorization }),
    );
    const [restGet, natsGet] = await alternate(
      () =>
        cannon('GET one account through the gateway', `${system.gatewayUrl}${getPath}`, {
          headers: { authorization },
        }),
      () =>
        measure('the same query over NATS', NATS_OPS, CONNECTIONS, () =>
          client.request(Q.getServiceAccount, { id: account.id }, { authorization }),
        ),
    );
    rows.push(restGet, natsGet);

    const restIssue = await cannon(
      'issue-key POST through the gateway',
      `${system.gatewayUrl}${getPath}/key`,
      {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: '{}',
        pathOf: (n) => `${SA}/${accounts[n % accounts.length].id}/key`,
      },
    );
    await Promise.all(
      accounts.map((a) =>
        client.request(C.revokeAllServiceAccountKeys, { id: a.id }, { authorization }),
      ),
    );
    const natsIssue = await measure(
      'issue-key over NATS',
      Math.min(NATS_OPS, 5_000),
      CONNECTIONS,
      (i) =>
        client.request(
          C.issueServiceAccountKey,
          { id: accounts[i % accounts.length].id },
          { authorization },
        ),
    );
    rows.push(restIssue, natsIssue);
    printTable(rows);
    const ratio = (a: Measurement, b: Measurement) =>
      `${((100 * a.perSecond) / b.perSecond).toFixed(1)} %`;
    const summary = {
      forwardAuthVsBare: ratio(forwardRow, bareRow),
      forwardAuthP99VsBare: `${(forwardRow.p99Ms / Math.max(bareRow.p99Ms, 1)).toFixed(2)}×`,
      restGetVsNats: ratio(restGet, natsGet),
      restIssueVsNats: ratio(restIssue, natsIssue),
    };
    console.log(
      `forward-auth / bare Fastify: ${summary.forwardAuthVsBare} (target ≥ 80 %), p99 ${summary.forwardAuthP99VsBare} (target ≤ 1.5×)`,
    );
    console.log(`GET one account, gateway / NATS: ${summary.restGetVsNats} (target ≥ 60 %)`);
    console.log(`issue-key, gateway / NATS: ${summary.restIssueVsNats}`);
    console.log(`results: ${writeResults(rootDir, 'gateway', { rows, summary })}`);
  } finally {
    await connection.drain();
    await bare.stop();
    await system.stop();
    if (!process.env.KEYWARD_KEEP_LOGS) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
