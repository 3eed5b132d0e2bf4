import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { freePort } from '../../scripts/lib/free-port';
import { launch, type ServiceProcess } from '../../scripts/lib/service-process';

const rootDir = resolve(__dirname, '../..');
export const NGINX_EXAMPLE = join(rootDir, 'deploy/nginx/keyward-forward-auth.conf');

/** Debian's nginx lives in /usr/sbin, which is not on every user's PATH. */
export function findNginx(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs
    .filter(Boolean)
    .map((dir) => join(dir, 'nginx'))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** deploy/'s example with its hosts replaced: the gateway, the protected API, the listen port. */
export function exampleServerConfig(hosts: { listen: number; gateway: string; app: string }) {
  let config = readFileSync(NGINX_EXAMPLE, 'utf8');
  for (const [directive, replacement] of [
    ['server keyward-gateway:8080;', `server ${hosts.gateway};`],
    ['server app:8080;', `server ${hosts.app};`],
    ['listen 80;', `listen 127.0.0.1:${hosts.listen};`],
  ]) {
    if (!config.includes(directive)) throw new Error(`the example has no "${directive}"`);
    config = config.replace(directive, replacement);
  }
  return config;
}

/**
 * A main configuration for an unprivileged, throw-away nginx: pid, logs and temp files in
 * `dir`, one worker, `http { include <server file> }`.
 */
export function mainConfig(dir: string, serverFile: string): string {
  const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
  return [
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} info;`,
    'worker_processes 1;',
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${temp(name)}`),
    `  include ${serverFile};`,
    '}',
    '',
  ].join('\n');
}

export interface RunningNginx {
  port: number;
  dir: string;
  process: ServiceProcess;
  errorLog(): string;
  stop(): Promise<void>;
}

/** A temp dir nginx's workers (nobody, when started as root) can enter. */
export function nginxDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-nginx-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** `nginx -t` on a main configuration: whether it is accepted, and what nginx said. */
export function testConfig(binary: string, mainFile: string): { ok: boolean; output: string } {
  const result = spawnSync(binary, ['-t', '-c', mainFile], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** Starts nginx in the foreground on a free port with the example in front of `hosts`. */
export async function startNginx(
  binary: string,
  hosts: { gateway: string; app: string },
): Promise<RunningNginx> {
  const dir = nginxDir();
  const port = await freePort();
  const serverFile = join(dir, 'keyward-forward-auth.conf');
  writeFileSync(serverFile, exampleServerConfig({ listen: port, ...hosts }));
  const mainFile = join(dir, 'nginx.conf');
  writeFileSync(mainFile, mainConfig(dir, serverFile));
  const process = await launch({
    name: 'nginx',
    command: binary,
    args: ['-c', mainFile, '-g', 'daemon off;'],
    logFile: join(dir, 'nginx.out'),
    readyPort: port,
  });
  const errorLog = () => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  return { port, dir, process, errorLog, stop: () => process.stop() };
}
