import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import {
  COMMAND_SUBJECTS as C,
  NatsJsonClient,
  QUERY_SUBJECTS as Q,
  type IssuedKeyReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import type { ServiceProcess } from '../scripts/lib/service-process';
import { bootstrapOverHttp } from './support/bootstrap';

/**
 * SIGTERM under load (issue 16, item 4): a command service or a projector that is told to stop
 * leaves its queue group, finishes what it was handling and exits 0 — no request sent to the
 * pair fails or goes unanswered, and every key issued is one whose issue was answered.
 */
const rootDir = resolve(__dirname, '..');
const ACCOUNTS = 8;
const WORKERS = 12;

jest.setTimeout(120_000);

describe('graceful shutdown of command services and projectors under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-shutdown-'));
  let system: RunningSystem;
  let connection: NatsConnection;
  let client: NatsJsonClient;
  let authorization: string;
  let accounts: ServiceAccountReply[];

  const service = (name: string): ServiceProcess => {
    const found = system.services.find((s) => s.name === name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  };
  const readyStatus = (name: string) =>
    fetch(system.readyUrls[name])
      .then((r) => r.status)
      .catch(() => 0);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir, commands: 2, projectors: 2 });
    authorization = `Bearer ${await bootstrapOverHttp(system, 'drain')}`;
    connection = await connect(system.natsSettings('internal-client'));
    // Long enough that a slow answer still counts as one: only unanswered requests fail.
    client = new NatsJsonClient(connection, 15_000);
    await client.request(
      C.setOrganizationPolicy,
      { maxActiveKeysPerPrincipal: 10_000 },
      { authorization },
    );
    accounts = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      accounts.push(
        await client.request<ServiceAccountReply>(
          C.createServiceAccount,
          { name: `load-${i}` },
          { authorization },
        ),
      );
    }
  }, 90_000);
  afterAll(async () => {
    await connection?.drain();
    await system?.stop();
    if (!process.env.KEYWARD_KEEP_LOGS) rmSync(dataDir, { recursive: true, force: true });
    else console.log(dataDir);
  });

  /** Issue-key and get-account requests from WORKERS loops until `stop` resolves. */
  const load = (stop: Promise<unknown>) => {
    let running = true;
    void stop.then(() => (running = false));
    const issued: { accountId: string; keyId: string }[] = [];
    const failures: string[] = [];
    let queries = 0;
    const began = Date.now();
    const worker = async (n: number) => {
      for (let i = n; running; i += WORKERS) {
        const account = accounts[i % ACCOUNTS];
        try {
          if (i % 3 === 2) {
            await client.request(Q.getServiceAccount, { id: account.id }, { authorization });
            queries++;
          } else {
            const key = await client.request<IssuedKeyReply>(
              C.issueServiceAccountKey,
              { id: account.id },
              { authorization },
            );
            issued.push({ accountId: account.id, keyId: key.keyId });
          }
        } catch (error) {
          const what = i % 3 === 2 ? 'get-account' : 'issue-key';
          const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          failures.push(`${what} at +${Date.now() - began} ms: ${why}`);
        }
      }
    };
    const done = Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));
    return { done, issued, failures, queries: () => queries };
  };

  /** SIGTERM `name` mid-load: it turns unready, exits 0 in time, and the load never fails. */
  const stopUnderLoad = async (name: string) => {
    let finish!: () => void;
    const stop = new Promise<void>((r) => (finish = r));
    const running = load(stop);
    await sleep(1500);
    const target = service(name);
    const signalled = Date.now();
    target.child.kill('SIGTERM');
    const unready = await Promise.race([
      (async () => {
        while ((await readyStatus(name)) === 200) await sleep(20);
        return true;
      })(),
      target.exited.then(() => true),
    ]);
    const code = await target.exited;
    const tookMs = Date.now() - signalled;
    await sleep(1500);
    finish();
    await running.done;
    return { ...running, code, tookMs, unready };
  };

  it('a command service: zero failed or unanswered requests; every key issued was answered', async () => {
    const result = await stopUnderLoad('command-2');
    expect(result.failures).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.unready).toBe(true);
    expect(result.tookMs).toBeLessThan(10_000);
    expect(result.issued.length).toBeGreaterThan(50);
    // No append without its reply: the keys in the store are exactly the ones answered.
    const answered = new Set(result.issued.map((k) => k.keyId));
    const storedKeys = async () => {
      const stored = new Set<string>();
      for (const account of accounts) {
        const detail = await client.request<ServiceAccountReply>(
          Q.getServiceAccount,
          { id: account.id },
          { authorization },
        );
        for (const key of detail.keys) stored.add(key.keyId);
      }
      return stored;
    };
    // The projector may lag the last answers by a moment.
    let stored = await storedKeys();
    for (let i = 0; i < 50 && [...answered].some((k) => !stored.has(k)); i++) {
      await sleep(100);
      stored = await storedKeys();
    }
    expect([...stored].filter((k) => !answered.has(k))).toEqual([]);
    expect([...answered].filter((k) => !stored.has(k))).toEqual([]);
    const log = readFileSync(join(dataDir, 'logs', 'command-2.log'), 'utf8');
    expect(log).toMatch(/SIGTERM: draining/);
    expect(log).not.toMatch(/CONNECTION_DRAINING|event store is closed|CONNECTION_CLOSED/);
  });

  it('a projector: queries keep being answered while one of two stops', async () => {
    const result = await stopUnderLoad('projector-2');
    expect(result.failures).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.unready).toBe(true);
    expect(result.queries()).toBeGreaterThan(20);
    const log = readFileSync(join(dataDir, 'logs', 'projector-2.log'), 'utf8');
    expect(log).toMatch(/SIGTERM: draining/);
  });
});
