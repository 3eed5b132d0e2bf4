import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { connect } from 'node:net';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  logFile: string;
  /** Resolve once a line of output contains this text. */
  readyLine?: string;
  /** Or once this TCP port accepts connections. */
  readyPort?: number;
  /** Or once this URL answers 200 (a service's /readyz). */
  readyUrl?: string;
  timeoutMs?: number;
}

/** Starts a service as its own process, logs to a file, and resolves once it is ready. */
export async function launch(options: LaunchOptions): Promise<ServiceProcess> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(options.command, options.args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const service: ServiceProcess = {
    name: options.name,
    child,
    exited,
    stop: () => stopProcess(child, exited),
  };
  try {
    await Promise.race([
      waitUntilReady(child, options),
      exited.then(async (code) => {
        // Its output reaches the log file once its pipes close (at most a moment later).
        await Promise.race([
          new Promise<void>((resolve) => log.once('close', () => resolve())),
          new Promise((resolve) => setTimeout(resolve, 1_000)),
        ]);
        const why = lastErrorIn(options.logFile);
        throw new Error(
          `${options.name} exited (${code}) during start${why ? `: ${why}` : ''}; see ${options.logFile}`,
        );
      }),
    ]);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

async function waitUntilReady(child: ChildProcess, options: LaunchOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  if (options.readyLine !== undefined)
    await waitForLine(child, options.readyLine, deadline, options.name);
  if (options.readyPort !== undefined) await waitForPort(options.readyPort, deadline, options.name);
  if (options.readyUrl !== undefined) await waitForOk(options.readyUrl, deadline, options.name);
}

/**
 * How often readiness is probed: a service is seen ready at most this long after it is (half of
 * it on average, on each of the many starts a test run makes); a refused probe costs little.
 */
const READY_POLL_MS = 20;

async function waitForOk(url: string, deadline: number, name: string): Promise<void> {
  while (Date.now() < deadline) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`${name} was not ready at ${url} in time`);
}

function waitForLine(
  child: ChildProcess,
  text: string,
  deadline: number,
  name: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`${name} not ready in time`)),
      deadline - Date.now(),
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

async function waitForPort(port: number, deadline: number, name: string): Promise<void> {
  while (Date.now() < deadline) {
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`${name} did not open port ${port} in time`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket.end() !== undefined));
    socket.once('error', () => resolve(false));
  });
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

/**
 * Why a process that died while starting said it did: the message of its last error line (our
 * services log JSON), else its last line of output (nats-server), in one line.
 */
export function lastErrorIn(logFile: string): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(logFile, 'utf8')
      .slice(-16_384)
      .split('\n')
      .filter((line) => line.trim());
  } catch {
    return undefined;
  }
  for (const line of [...lines].reverse()) {
    try {
      const entry = JSON.parse(line) as {
        level?: unknown;
        msg?: unknown;
        err?: { message?: unknown };
      };
      if (
        entry.level === 'error' ||
        entry.level === 'fatal' ||
        entry.level === 50 ||
        entry.level === 60
      ) {
        const message = entry.err?.message ?? entry.msg;
        if (typeof message === 'string') return message.replace(/\s+/g, ' ').slice(0, 300);
      }
    } catch {
      // not JSON: considered below
    }
  }
  const last = lines.at(-1);
  return last === undefined ? undefined : last.replace(/\s+/g, ' ').slice(0, 300);
}
