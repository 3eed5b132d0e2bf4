import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { trackChildProcess, untrackChildProcess } from './child-process-reaper';
import {
  NATS_USERS,
  natsUserEnv,
  natsUserSettings,
  renderNatsAuthorization,
  type NatsUserSettings,
  type NatsStreamNames,
  type NatsUser,
} from '@keyward/messaging';
import { findNatsServerBinary } from './find-nats-server-binary';

export interface NatsServerOptions {
  /** Default true. */
  jetstream?: boolean;
  /** Default: a free port chosen by the server. */
  port?: number;
  /** Reuse a JetStream store directory; the caller owns it and `stop()` leaves it in place. */
  storeDir?: string;
  /**
   * Run with Keyward's generated authorization (one user per service, random passwords) for
   * these stream names, as `npm run up` does. Default: no authorization.
   */
  authorization?: NatsStreamNames;
}

export interface NatsServerHandle {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Publish and subscribe permission violations logged since the last (re)start. */
  readonly violations: readonly string[];
  /** Whether the server runs with Keyward's authorization. */
  readonly authorized: boolean;
  /** Connection settings for a user (no user on a server without authorization). */
  settings(user: NatsUser): NatsUserSettings;
  /** The same as environment variables for a service: NATS_URL, NATS_USER, NATS_PASSWORD. */
  env(user: NatsUser): Record<string, string>;
  /** Changes after `restart()`. */
  readonly pid: number;
  /** Graceful shutdown, waits for the exit, removes the temp store directory. */
  stop(): Promise<void>;
  /** Sends a signal without waiting, e.g. SIGKILL to simulate a crash. */
  kill(signal?: NodeJS.Signals): void;
  /** Graceful shutdown then a new server on the same port and store directory. */
  restart(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 10_000;
const SHUTDOWN_TIMEOUT_MS = 5_000;
const LOG_LINES_KEPT = 40;

interface RunningServer {
  child: ChildProcess;
  /** Permission violations the server logged (publish or subscribe refused). */
  violations: string[];
  port: number;
  exited: Promise<void>;
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = findNatsServerBinary();
  if (!binary) {
    throw new Error('nats-server not found on PATH nor in /usr/sbin (apt-get install nats-server)');
  }
  const ownsStoreDir = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'keyward-nats-'));
  const passwords = options.authorization ? randomPasswords() : undefined;
  const configFile = options.authorization
    ? writeAuthorization(options.authorization, passwords as Record<NatsUser, string>)
    : undefined;
  const launch = (port: number | undefined): Promise<RunningServer> =>
    launchServer(binary, {
      port,
      storeDir,
      jetstream: options.jetstream ?? true,
      ownsStoreDir,
      configFile,
    });
  try {
    const running = await launch(options.port);
    return new ServerHandle(running, storeDir, ownsStoreDir, launch, passwords, configFile);
  } catch (error) {
    if (configFile) rmSync(configFile, { force: true });
    if (ownsStoreDir) rmSync(storeDir, { recursive: true, force: true });
    throw error;
  }
}

function randomPasswords(): Record<NatsUser, string> {
  const entries = NATS_USERS.map((user) => [user, randomBytes(18).toString('base64url')]);
  return Object.fromEntries(entries) as Record<NatsUser, string>;
}

function writeAuthorization(streams: NatsStreamNames, passwords: Record<NatsUser, string>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'keyward-nats-conf-')), 'nats.conf');
  const conf = renderNatsAuthorization({
    streams,
    password: (user) => ({ value: passwords[user] }),
  });
  writeFileSync(file, conf, { mode: 0o600 });
  return file;
}

class ServerHandle implements NatsServerHandle {
  constructor(
    private running: RunningServer,
    readonly storeDir: string,
    private readonly ownsStoreDir: boolean,
    private readonly launch: (port: number) => Promise<RunningServer>,
    private readonly passwords?: Record<NatsUser, string>,
    private readonly configFile?: string,
  ) {}

  get violations(): readonly string[] {
    return this.running.violations;
  }

  get authorized(): boolean {
    return this.passwords !== undefined;
  }

  settings(user: NatsUser): NatsUserSettings {
    if (!this.passwords) return { servers: [this.url] };
    return natsUserSettings(this.url, user, this.passwords[user]);
  }

  env(user: NatsUser): Record<string, string> {
    if (!this.passwords) return { NATS_URL: this.url };
    return natsUserEnv(this.url, user, this.passwords[user]);
  }

  get port(): number {
    return this.running.port;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.running.port}`;
  }

  get pid(): number {
    return this.running.child.pid as number;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.running.child.kill(signal);
  }

  async restart(): Promise<void> {
    await shutdown(this.running);
    this.running = await this.launch(this.running.port);
  }

  async stop(): Promise<void> {
    await shutdown(this.running);
    if (this.ownsStoreDir) rmSync(this.storeDir, { recursive: true, force: true });
    if (this.configFile) rmSync(dirname(this.configFile), { recursive: true, force: true });
  }
}

interface LaunchOptions {
  port: number | undefined;
  storeDir: string;
  jetstream: boolean;
  ownsStoreDir: boolean;
  configFile: string | undefined;
}

async function launchServer(binary: string, options: LaunchOptions): Promise<RunningServer> {
  // The ports file is the server's own report of the port it bound, and it appears only once
  // the client listener is up, so there is no free-port guess that another process can steal.
  const portsDir = mkdtempSync(join(tmpdir(), 'keyward-nats-ports-'));
  const child = spawn(binary, serverArgs(options, portsDir), { stdio: ['ignore', 'pipe', 'pipe'] });
  const violations: string[] = [];
  const log = keepLastLines(child, violations);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error(`could not spawn ${binary}`);
  trackChildProcess(child.pid, options.ownsStoreDir ? options.storeDir : undefined);
  exited.then(() => untrackChildProcess(child.pid as number));
  try {
    const port = await waitForPortsFile(portsDir, child, log);
    await waitForConnection(port);
    return { child, port, exited, violations };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  } finally {
    rmSync(portsDir, { recursive: true, force: true });
  }
}

function serverArgs(options: LaunchOptions, portsDir: string): string[] {
  const args = ['-a', '127.0.0.1', '-p', String(options.port ?? -1), '--ports_file_dir', portsDir];
  if (options.configFile) args.unshift('-c', options.configFile);
  return options.jetstream ? [...args, '-js', '-sd', options.storeDir] : args;
}

function keepLastLines(child: ChildProcess, violations: string[]): string[] {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    const received = chunk.toString('utf8').split('\n').filter(Boolean);
    violations.push(...received.filter((line) => line.includes('Violation')));
    lines.push(...received);
    lines.splice(0, Math.max(0, lines.length - LOG_LINES_KEPT));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return lines;
}

async function waitForPortsFile(dir: string, child: ChildProcess, log: string[]): Promise<number> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`nats-server exited during startup:\n${log.join('\n')}`);
    }
    const port = readPortsFile(dir);
    if (port !== undefined) return port;
    await sleep(20);
  }
  throw new Error(`nats-server did not start within ${STARTUP_TIMEOUT_MS} ms:\n${log.join('\n')}`);
}

function readPortsFile(dir: string): number | undefined {
  const file = readdirSync(dir).find((name) => name.endsWith('.ports'));
  if (!file) return undefined;
  try {
    const ports = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nats?: string[] };
    const url = ports.nats?.[0];
    return url ? Number(new URL(url).port) : undefined;
  } catch {
    return undefined; // caught half-written
  }
}

async function waitForConnection(port: number): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline) throw new Error(`nats-server is not accepting on port ${port}`);
    await sleep(20);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function shutdown(running: RunningServer): Promise<void> {
  const { child, exited } = running;
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
