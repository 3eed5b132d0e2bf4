import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  natsUserEnv,
  natsUserSettings,
  type NatsUser,
  type NatsUserSettings,
} from '@keyward/messaging';
import { findNatsServerBinary } from '@keyward/testing';
import { freePort } from './free-port';
import {
  natsStreamsFrom,
  readOrCreateNatsPasswords,
  writeNatsConfig,
  writeNatsEnvFile,
} from './nats-users';
import { launch, type ServiceProcess } from './service-process';

export interface SystemOptions {
  dataDir: string;
  /** Root of the built repo (holds dist/). */
  rootDir: string;
  natsPort?: number;
  /** Default: a free port (the first gateway's, when there are several). */
  gatewayPort?: number;
  /** Command service replicas; default 1. */
  commands?: number;
  /** Projector replicas (one database each); default 1. */
  projectors?: number;
  /** Verifier nodes; default 2. */
  verifiers?: number;
  /** Gateway replicas; default 1. */
  gateways?: number;
  /** Extra environment for every Keyward service (e.g. EVENT_STORE_URL). */
  env?: NodeJS.ProcessEnv;
}

export interface RunningSystem {
  natsUrl: string;
  /** The HTTP gateway, e.g. http://127.0.0.1:40118 (the first, when there are several). */
  gatewayUrl: string;
  gatewayUrls: string[];
  operatorToken: string;
  /** nats.js `connect()` options for one NATS user (NATS runs with authorization). */
  natsSettings(user: NatsUser): NatsUserSettings;
  /** Each service's `/readyz`, by process name (gateways serve it on their API port). */
  readyUrls: Record<string, string>;
  /** Stops nats-server, waits `downMs`, starts it again on the same port and store. */
  restartNats(downMs: number): Promise<void>;
  /** Where the internal-client and operator credentials were written (`KEY=value` lines). */
  credentialFiles: { internalClient: string; operator: string };
  services: ServiceProcess[];
  stop(): Promise<void>;
}

/** Starts NATS with JetStream and every Keyward service as separate processes. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const operatorToken = readOrCreateSecret(join(dataDir, 'operator-token'));
  const natsPort = options.natsPort ?? (await freePort());
  const natsUrl = `nats://127.0.0.1:${natsPort}`;
  const passwords = readOrCreateNatsPasswords(dataDir);
  const natsConfig = writeNatsConfig(dataDir, passwords, natsStreamsFrom(options.env ?? {}));
  const credentialFiles = {
    internalClient: join(dataDir, 'internal-client.env'),
    operator: join(dataDir, 'nats-operator.env'),
  };
  writeNatsEnvFile(
    credentialFiles.internalClient,
    natsUserEnv(natsUrl, 'internal-client', passwords['internal-client']),
  );
  writeNatsEnvFile(credentialFiles.operator, natsUserEnv(natsUrl, 'operator', passwords.operator));
  const services: ServiceProcess[] = [];
  const gatewayUrls: string[] = [];
  const readyUrls: Record<string, string> = {};
  const stop = async () => {
    for (const service of [...services].reverse()) await service.stop();
  };
  try {
    services.push(await startNats(natsPort, natsConfig, logDir));
    const env = { ...options.env, KEYWARD_OPERATOR_TOKEN: operatorToken };
    const start = async (
      name: string,
      script: string,
      user: NatsUser,
      extra: NodeJS.ProcessEnv = {},
    ) => {
      const healthPort = await freePort();
      readyUrls[name] = `http://127.0.0.1:${healthPort}/readyz`;
      return startService(
        name,
        `dist/apps/${script}/src/main.js`,
        { ...env, ...natsUserEnv(natsUrl, user, passwords[user]), ...extra },
        { rootDir: options.rootDir, logDir, healthPort },
      );
    };
    // The command service first: it creates the event stream the others follow. Nothing is
    // revoked before the verifiers are up, since the first org is bootstrapped after.
    services.push(await start('command', 'command', 'command'));
    for (let i = 2; i <= (options.commands ?? 1); i++) {
      services.push(await start(`command-${i}`, 'command', 'command'));
    }
    const verifierIds = Array.from(
      { length: options.verifiers ?? 2 },
      (_, i) => `verifier-${i + 1}`,
    );
    for (const id of verifierIds) {
      services.push(await start(id, 'auth-verifier', 'verifier', { KEYWARD_VERIFIER_ID: id }));
    }
    // Last: it answers queries only once caught up, and authenticates them through the verifiers.
    for (let i = 1; i <= (options.projectors ?? 1); i++) {
      const name = i === 1 ? 'projector' : `projector-${i}`;
      const database = join(dataDir, `${name}.sqlite`);
      services.push(
        await start(name, 'projector', 'projector', { KEYWARD_PROJECTOR_DB: database }),
      );
    }
    for (let i = 0; i < (options.gateways ?? 1); i++) {
      const port = (i === 0 ? options.gatewayPort : undefined) ?? (await freePort());
      const name = i === 0 ? 'gateway' : `gateway-${i + 1}`;
      services.push(
        await launch({
          name,
          command: process.execPath,
          args: [...nodeArgs(), join(options.rootDir, 'dist/apps/gateway/src/main.js')],
          env: {
            ...env,
            ...natsUserEnv(natsUrl, 'gateway', passwords.gateway),
            PORT: String(port),
            KEYWARD_GATEWAY_HOST: '127.0.0.1',
          },
          logFile: join(logDir, `${name}.log`),
          readyUrl: `http://127.0.0.1:${port}/readyz`,
        }),
      );
      gatewayUrls.push(`http://127.0.0.1:${port}`);
      readyUrls[name] = `http://127.0.0.1:${port}/readyz`;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    natsUrl,
    gatewayUrl: gatewayUrls[0],
    gatewayUrls,
    operatorToken,
    natsSettings: (user) => natsUserSettings(natsUrl, user, passwords[user]),
    readyUrls,
    async restartNats(downMs) {
      await services[0].stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      services[0] = await startNats(natsPort, natsConfig, logDir);
    },
    credentialFiles,
    services,
    stop,
  };
}

/** A Node service of ours, ready once its /readyz answers 200 on a free health port. */
async function startService(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  where: { rootDir: string; logDir: string; healthPort: number },
): Promise<ServiceProcess> {
  return launch({
    name,
    command: process.execPath,
    args: [...nodeArgs(), join(where.rootDir, script)],
    env: { ...env, HEALTH_PORT: String(where.healthPort) },
    logFile: join(where.logDir, `${name}.log`),
    readyUrl: `http://127.0.0.1:${where.healthPort}/readyz`,
  });
}

function startNats(port: number, configFile: string, logDir: string): Promise<ServiceProcess> {
  const binary = findNatsServerBinary();
  if (!binary)
    throw new Error(
      'nats-server not found: run scripts/ensure-tools.sh (apt-get install nats-server)',
    );
  return launch({
    name: 'nats-server',
    command: binary,
    args: ['-c', configFile, '-js', '-a', '127.0.0.1', '-p', String(port)],
    logFile: join(logDir, 'nats-server.log'),
    readyPort: port,
  });
}

/** Extra Node.js flags for every service, e.g. `--cpu-prof` when profiling a benchmark. */
function nodeArgs(): string[] {
  return (process.env.KEYWARD_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/** A secret kept in the data directory, created on first start, readable by its owner only. */
export function readOrCreateSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}
