import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import {
  COMMAND_SUBJECTS as S,
  NatsJsonClient,
  QUERY_SUBJECTS as Q,
  ReplyErrorException,
  type Page,
} from '@keyward/messaging';
import { EventStoreDbWireServer } from './eventstoredb-wire-server/wire-server';

/** `npm run up` as a user runs it: built JS, separate processes, stopped with a signal. */
const rootDir = resolve(__dirname, '..');

interface Up {
  child: ChildProcess;
  natsUrl: string;
  /** The internal-client credentials file `up` printed. */
  clientEnvFile: string;
  operatorEnvFile: string;
  adminKey: string;
  gatewayUrl: string;
  consoleUrl: string;
  pids: number[];
  output: () => string;
}

function startUp(
  dataDir: string,
  eventStoreUrl: string | undefined,
  env: NodeJS.ProcessEnv = {},
): Promise<Up> {
  const child = spawn(process.execPath, [join(rootDir, 'dist/scripts/up.js')], {
    env: {
      ...process.env,
      KEYWARD_DATA_DIR: dataDir,
      EVENT_STORE_URL: eventStoreUrl ?? '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolveUp, reject) => {
    const timer = setTimeout(() => reject(new Error(`up did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const done = /Ctrl-C stops everything/.test(output);
      if (!done) return;
      clearTimeout(timer);
      resolveUp({
        child,
        natsUrl: /NATS:\s+(\S+)/.exec(output)![1],
        clientEnvFile: /NATS clients:\s+(\S+)/.exec(output)![1],
        operatorEnvFile: /NATS operator:\s+(\S+)/.exec(output)![1],
        adminKey: /admin key:\s+(\S+)/.exec(output)![1],
        gatewayUrl: /gateway:\s+(\S+)/.exec(output)![1],
        consoleUrl: /console:\s+(\S+)/.exec(output)![1],
        pids: [...output.matchAll(/=(\d+)/g)].map((m) => Number(m[1])),
        output: () => output,
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`up exited with ${code}:\n${output}`)));
  });
}

async function stopUp(up: Up): Promise<void> {
  const exited = new Promise((r) => up.child.once('exit', r));
  up.child.kill('SIGTERM');
  await exited;
}

/** The projector is eventually consistent: poll until the account shows up. */
async function accountNames(client: NatsJsonClient, authorization: string): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    const page = await client.request<Page<{ name: string }>>(
      Q.listServiceAccounts,
      {},
      { authorization },
    );
    if (page.items.length > 0 || attempt === 50) return page.items.map((item) => item.name);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Connects with the `KEY=value` credentials `up` wrote, as an internal service would. */
function connectWith(envFile: string) {
  const env = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;
  return connect({ servers: env.NATS_URL, user: env.NATS_USER, pass: env.NATS_PASSWORD });
}

/**
 * The CLI commands `up` printed under "try:", run as printed with the variables it exported.
 * Asynchronously: this process also hosts the EventStoreDB wire server the services talk to.
 */
async function runPrintedExamples(output: string) {
  const exported = /^\s+export (.+)$/m.exec(output)![1];
  const env = Object.fromEntries(
    exported
      .split(' ')
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  ) as Record<string, string>;
  const runs = [];
  for (const [, script, args] of output.matchAll(/^\s+node (\S+) (.+)$/gm)) {
    const child = spawn(process.execPath, [script, ...args.split(' ')], {
      env: {
        PATH: process.env.PATH,
        HOME: tmpdir(),
        KEYWARD_CONFIG: join(tmpdir(), 'none.json'),
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [status] = (await once(child, 'close')) as [number | null];
    runs.push({ args, status, stdout, stderr });
  }
  return runs;
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 50 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The same run on each store: JetStream (the default) and EventStoreDB's wire protocol. */
describe.each([
  ['JetStream', false],
  ['EventStoreDB (wire-compatible server)', true],
])('npm run up on %s', (_store, onEventStoreDb) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-up-'));
  let wireServer: EventStoreDbWireServer | undefined;
  let eventStoreUrl: string | undefined;
  beforeAll(async () => {
    if (!onEventStoreDb) return;
    wireServer = await new EventStoreDbWireServer().start(0);
    eventStoreUrl = wireServer.url;
  });
  afterAll(async () => {
    await wireServer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts NATS and every service, bootstraps once, answers commands and queries, keeps data, and stops every process', async () => {
    const first = await startUp(dataDir, eventStoreUrl);
    expect(first.adminKey).toMatch(/^kw_live_/);
    // It says what it is doing: each process with its pid once ready, then the bootstrap.
    for (const name of [
      'nats-server',
      'command',
      'verifier-1',
      'verifier-2',
      'projector',
      'gateway',
    ]) {
      expect(first.output()).toMatch(new RegExp(`keyward: +${name} +ready +pid \\d+ `));
    }
    expect(first.output()).toContain('first start: bootstrapping');
    expect(first.pids.length).toBeGreaterThanOrEqual(2);
    // The console it prints is served, built, by that gateway.
    expect(first.consoleUrl).toBe(`${first.gatewayUrl}/console/`);
    const consolePage = await fetch(first.consoleUrl);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<title>Keyward console</title>');
    // NATS runs with authorization: no anonymous client; credentials files readable by the owner only.
    await expect(connect({ servers: first.natsUrl })).rejects.toThrow(/Authorization/i);
    for (const file of [first.clientEnvFile, first.operatorEnvFile]) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(first.clientEnvFile, 'utf8')).toMatch(/^NATS_USER=internal-client$/m);
    const connection = await connectWith(first.clientEnvFile);
    const client = new NatsJsonClient(connection);
    const authorization = `Bearer ${first.adminKey}`;
    await client.request(S.createServiceAccount, { name: 'survives-restart' }, { authorization });
    // Through every process: the projector answers, authenticating the caller through a verifier.
    expect(await accountNames(client, authorization)).toEqual(['survives-restart']);
    // The example CLI commands it printed work as printed.
    const examples = await runPrintedExamples(first.output());
    expect(examples.map((e) => e.args)).toEqual([
      'whoami',
      'sa create --name ci-bot --role reader',
    ]);
    expect(examples.map((e) => [e.status, e.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    expect(examples[0].stdout).toMatch(/principal\s+member admin/);
    expect(examples[1].stdout).toMatch(/name\s+ci-bot/);
    await connection.drain();
    await stopUp(first);
    expect(first.pids.filter(alive)).toEqual([]);

    // The second run also pretty-prints every service's log lines to the terminal.
    const second = await startUp(dataDir, eventStoreUrl, { KEYWARD_UP_LOGS: 'pretty' });
    try {
      expect(second.adminKey).toBe(first.adminKey);
      // The same gateway URL as before, so a saved CLI profile keeps working.
      expect(second.gatewayUrl).toBe(first.gatewayUrl);
      expect(second.output()).not.toContain('bootstrapping');
      const again = await connectWith(second.clientEnvFile);
      const error = await new NatsJsonClient(again)
        .request(S.createServiceAccount, { name: 'survives-restart' }, { authorization })
        .catch((e: unknown) => e);
      await again.drain();
      expect(error).toBeInstanceOf(ReplyErrorException);
      expect((error as ReplyErrorException).error.code).toBe('SERVICE_ACCOUNT.NAME_TAKEN');
      await waitFor(() => /\[keyward-command\] request/.test(second.output()));
      expect(second.output()).toMatch(
        /INFO.*\[keyward-command\] request.*"subject":"kw\.cmd\.service-account\.create".*"outcome":"SERVICE_ACCOUNT\.NAME_TAKEN"/,
      );
      expect(second.output()).not.toMatch(/\{"level":/);
      expect(first.output()).not.toMatch(/\[keyward-command\] request/);
    } finally {
      await stopUp(second);
    }
    expect(second.pids.filter(alive)).toEqual([]);
  }, 120_000);
});

/** `up` that must refuse to start: its exit code and everything it printed. */
function failedUp(dataDir: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [join(rootDir, 'dist/scripts/up.js')], {
    env: { ...process.env, KEYWARD_DATA_DIR: dataDir, EVENT_STORE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return once(child, 'close').then(([code]) => ({ code: code as number, output }));
}

describe('npm run up refuses to start, in one line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-up-fail-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const oneLine = (output: string) =>
    output
      .split('\n')
      .filter((line) => /^keyward: (?! )/.test(line))
      .at(-1);

  it('when KEYWARD_GATEWAY_PORT is taken or not a port', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const taken = await failedUp(dataDir, { KEYWARD_GATEWAY_PORT: String(port) });
      expect(taken.code).toBe(1);
      expect(oneLine(taken.output)).toBe(
        `keyward: port ${port} (KEYWARD_GATEWAY_PORT) is taken by another process on 127.0.0.1: stop it, or choose another port`,
      );
      expect(taken.output).not.toMatch(/^\s+at /m);
    } finally {
      blocker.close();
    }
    const bad = await failedUp(dataDir, { KEYWARD_GATEWAY_PORT: 'http' });
    expect(bad.code).toBe(1);
    expect(oneLine(bad.output)).toContain('KEYWARD_GATEWAY_PORT must be a port number');
  });

  it('when a file of the data directory is corrupt, naming it', async () => {
    writeFileSync(join(dataDir, 'admin.json'), '{"orgId": ');
    const corrupt = await failedUp(dataDir);
    expect(corrupt.code).toBe(1);
    expect(oneLine(corrupt.output)).toMatch(
      new RegExp(
        `^keyward: ${join(dataDir, 'admin.json')} is corrupt \\(.+\\): restore it from a backup`,
      ),
    );
    rmSync(join(dataDir, 'admin.json'));
  });

  it('when a service cannot open its data, with the service’s own reason and no process left', async () => {
    writeFileSync(join(dataDir, 'projector.sqlite'), 'not a database, honestly'.repeat(20));
    const broken = await failedUp(dataDir);
    expect(broken.code).toBe(1);
    expect(oneLine(broken.output)).toMatch(
      /^keyward: failed to start: projector exited \(1\) during start: file is not a database; see .*projector\.log$/,
    );
    const pids = [...broken.output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids.length).toBeGreaterThanOrEqual(4);
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);
});
