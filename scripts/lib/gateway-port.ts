import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPortFree } from './free-port';

/** A failure `npm run up` explains in one line (no stack trace) before exiting non-zero. */
export class UpError extends Error {}

const PORT_FILE = 'gateway-port';

/**
 * The gateway's port for `npm run up`: `KEYWARD_GATEWAY_PORT` when set (refused when taken);
 * else the port of the previous run, kept in the data directory, so a saved CLI profile keeps
 * working across restarts; else (first run, or that port is now taken) a free one.
 */
export async function gatewayPortFor(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  note: (message: string) => void,
): Promise<number | undefined> {
  const wanted = env.KEYWARD_GATEWAY_PORT;
  if (wanted !== undefined && wanted !== '') {
    const port = Number(wanted);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new UpError(
        `KEYWARD_GATEWAY_PORT must be a port number (1-65535), got ${JSON.stringify(wanted)}`,
      );
    }
    if (!(await isPortFree(port))) {
      throw new UpError(
        `port ${port} (KEYWARD_GATEWAY_PORT) is taken by another process on 127.0.0.1: stop it, or choose another port`,
      );
    }
    return port;
  }
  const file = join(dataDir, PORT_FILE);
  if (!existsSync(file)) return undefined;
  const previous = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(previous) || previous < 1 || previous > 65_535) return undefined;
  if (await isPortFree(previous)) return previous;
  note(
    `keyward: the gateway's port from the last run (${previous}) is taken; using a free one (KEYWARD_GATEWAY_PORT fixes it)`,
  );
  return undefined;
}

/** Remembers the port the gateway got, for the next run. */
export function rememberGatewayPort(dataDir: string, gatewayUrl: string): void {
  writeFileSync(join(dataDir, PORT_FILE), `${new URL(gatewayUrl).port}\n`);
}
