import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import {
  COMMAND_SUBJECTS as C,
  NatsJsonClient,
  QUERY_SUBJECTS as Q,
  VERIFY_SUBJECTS,
  type IssuedKeyReply,
  type ServiceAccountReply,
  type VerifyReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import type { ServiceProcess } from '../scripts/lib/service-process';
import { bootstrapOverHttp } from './support/bootstrap';
import { revocationCycle } from './support/revocation-cycle';

/**
 * SIGTERM under load (issue 16, item 4): a command service, a projector or a verifier that is
 * told to stop leaves its queue group, finishes what it was handling and exits 0 — no request
 * sent to the pair fails or goes unanswered, and every key issued is one whose issue was
 * answered. A verifier stays on the roster until it has stopped answering, so G1 holds while it
 * stops.
 */
const rootDir = resolve(__dirname, '..');
const ACCOUNTS = 8;
const WORKERS = 12;

jest.setTimeout(120_000);

describe('graceful shutdown of command services, projectors and verifiers under load', () => {
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
  const stopUnderLoad = async <T extends { done: Promise<unknown> }>(
    name: string,
    startLoad: (stop: Promise<unknown>) => T,
  ) => {
    let finish!: () => void;
    const stop = new Promise<void>((r) => (finish = r));
    const running = startLoad(stop);
    // Load before the signal and after the exit: 750 ms each still gives every floor below
    // (50 keys, 20 queries, 500 verifies, 5 revocations) more than twice over on a loaded machine.
    await sleep(750);
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
    await sleep(750);
    finish();
    await running.done;
    return { ...running, code, tookMs, unready };
  };

  it('a command service: zero failed or unanswered requests; every key issued was answered', async () => {
    const result = await stopUnderLoad('command-2', load);
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
    const result = await stopUnderLoad('projector-2', load);
    expect(result.failures).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.unready).toBe(true);
    expect(result.queries()).toBeGreaterThan(20);
    const log = readFileSync(join(dataDir, 'logs', 'projector-2.log'), 'utf8');
    expect(log).toMatch(/SIGTERM: draining/);
  });

  /**
   * verify calls from WORKERS loops with one key (every answer must be valid), and beside them
   * revocation cycles: issue a key, see it verify, revoke it, then verify it again at once — from
   * the moment the revoke replied, no node may accept it (G1), the stopping one included.
   */
  const verifyLoad = (stop: Promise<unknown>, key: IssuedKeyReply) => {
    let running = true;
    void stop.then(() => (running = false));
    const failures: string[] = [];
    let verified = 0;
    let revocations = 0;
    const began = Date.now();
    const verify = (secret: string | undefined) =>
      client.request<VerifyReply>(VERIFY_SUBJECTS.verify, { authorization: `Bearer ${secret}` });
    const worker = async () => {
      while (running) {
        try {
          const reply = await verify(key.secret);
          if (reply.valid) verified++;
          else failures.push(`verify at +${Date.now() - began} ms: ${reply.reason}`);
        } catch (error) {
          failures.push(`verify at +${Date.now() - began} ms: ${String(error)}`);
        }
      }
    };
    const revoker = async () => {
      while (running) {
        const { violations } = await revocationCycle(client, authorization, accounts[0].id);
        failures.push(...violations);
        revocations++;
      }
    };
    const done = Promise.all([
      ...Array.from({ length: WORKERS }, () => worker()),
      revoker().catch((error: unknown) => failures.push(`revocation cycle: ${String(error)}`)),
    ]);
    return { done, failures, verified: () => verified, revocations: () => revocations };
  };

  it('a verifier: verify keeps being answered, and G1 holds, while one of two stops', async () => {
    const key = await client.request<IssuedKeyReply>(
      C.issueServiceAccountKey,
      { id: accounts[1].id },
      { authorization },
    );
    const result = await stopUnderLoad('verifier-2', (stop) => verifyLoad(stop, key));
    expect(result.failures).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.unready).toBe(true);
    expect(result.verified()).toBeGreaterThan(500);
    expect(result.revocations()).toBeGreaterThan(5);
    const log = readFileSync(join(dataDir, 'logs', 'verifier-2.log'), 'utf8');
    expect(log).toMatch(/SIGTERM: draining/);
  });
});
