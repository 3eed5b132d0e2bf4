import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
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
  type NatsPasswords,
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
  /** Run the notifier (`kw.notify.>`); default true. */
  notifier?: boolean;
  /** Gateway replicas; default 1. */
  gateways?: number;
  /**
   * NATS servers; default 1. With 3 (or 5) they form a JetStream cluster on loopback, and each
   * service connects to one node (in turn), failing over to the others it learns from it.
   */
  natsNodes?: number;
  /** Extra environment for every Keyward service (e.g. EVENT_STORE_URL). */
  env?: NodeJS.ProcessEnv;
  /** Told as each process is up and ready, with where it listens (`npm run up` prints it). */
  onReady?: (process: ServiceProcess, listening: string) => void;
}

export interface RunningSystem {
  /** Every NATS node's client URL, comma-separated (as `NATS_URL` takes them). */
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
  /** The NATS server processes (`nats-server`, or `nats-1` … `nats-N` for a cluster). */
  natsNodes: ServiceProcess[];
  /** Starts node `index` of the cluster again (after it was stopped or killed). */
  startNatsNode(index: number): Promise<void>;
  /** Where the internal-client and operator credentials were written (`KEY=value` lines). */
  credentialFiles: { internalClient: string; operator: string };
  services: ServiceProcess[];
  /**
   * Starts a service again (after it was stopped or killed) as it was started, on the same
   * user, data and health port; it replaces the old entry in `services`.
   */
  restartService(name: string): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/** Starts NATS with JetStream and every Keyward service as separate processes. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const operatorToken = readOrCreateSecret(join(dataDir, 'operator-token'));
  // Seals webhook signing secrets (command service) and opens them (notifier).
  const webhookSecretKey = readOrCreateSecret(join(dataDir, 'webhook-secret-key'));
  const passwords = readOrCreateNatsPasswords(dataDir);
  const nodes = await planNatsNodes(dataDir, passwords, options);
  const natsUrl = nodes.map((node) => node.url).join(',');
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
  const natsNodes: ServiceProcess[] = [];
  const starters = new Map<string, () => Promise<ServiceProcess>>();
  const stop = async () => {
    for (const service of [...services].reverse()) await service.stop();
    for (const node of natsNodes) await node?.stop();
  };
  const startNatsNode = async (index: number) => {
    natsNodes[index] = await startNats(nodes[index], logDir);
    options.onReady?.(natsNodes[index], nodes[index].url);
  };
  /** Services connect to the nodes in turn; each learns the others from its node. */
  let nextNode = 0;
  const homeNode = () => nodes[nextNode++ % nodes.length].url;
  try {
    await Promise.all(nodes.map((_, index) => startNatsNode(index)));
    if (nodes.length > 1) await awaitJetStreamCluster(natsUrl, passwords.operator);
    // On a cluster the streams keep 3 copies (unless told otherwise), so a node can fail.
    const replicas = nodes.length > 1 ? { KEYWARD_JETSTREAM_REPLICAS: '3' } : {};
    // Development: webhooks may be delivered to this machine (tests run their receivers here).
    const webhookNetworks = { KEYWARD_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128' };
    const env = {
      ...replicas,
      ...webhookNetworks,
      ...options.env,
      KEYWARD_OPERATOR_TOKEN: operatorToken,
      KEYWARD_WEBHOOK_SECRET_KEY: webhookSecretKey,
    };
    const start = async (
      name: string,
      script: string,
      user: NatsUser,
      extra: NodeJS.ProcessEnv = {},
    ) => {
      const serviceEnv = { ...env, ...natsUserEnv(homeNode(), user, passwords[user]), ...extra };
      const healthPort = await freePort();
      readyUrls[name] = `http://127.0.0.1:${healthPort}/readyz`;
      const launchIt = async () => {
        const service = await startService(name, `dist/apps/${script}/src/main.js`, serviceEnv, {
          rootDir: options.rootDir,
          logDir,
          healthPort,
        });
        options.onReady?.(service, `health http://127.0.0.1:${healthPort}`);
        return service;
      };
      starters.set(name, launchIt);
      return launchIt();
    };
    const startGateway = async (i: number) => {
      const name = i === 0 ? 'gateway' : `gateway-${i + 1}`;
      const gatewayEnv = {
        ...env,
        ...natsUserEnv(homeNode(), 'gateway', passwords.gateway),
        KEYWARD_GATEWAY_HOST: '127.0.0.1',
      };
      const port = (i === 0 ? options.gatewayPort : undefined) ?? (await freePort());
      gatewayUrls[i] = `http://127.0.0.1:${port}`;
      readyUrls[name] = `http://127.0.0.1:${port}/readyz`;
      const service = await launch({
        name,
        command: process.execPath,
        args: [...nodeArgs(), join(options.rootDir, 'dist/apps/gateway/src/main.js')],
        env: { ...gatewayEnv, PORT: String(port) },
        logFile: join(logDir, `${name}.log`),
        readyUrl: `http://127.0.0.1:${port}/readyz`,
      });
      options.onReady?.(service, `http://127.0.0.1:${port}`);
      return service;
    };
    /** Starts these at once; keeps each one that started (in order), then throws the first failure. */
    const together = async (starting: Promise<ServiceProcess>[]) => {
      const settled = await Promise.allSettled(starting);
      for (const result of settled) if (result.status === 'fulfilled') services.push(result.value);
      const failed = settled.find((result) => result.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    };
    // The command service first: it creates the event stream the others follow. Nothing is
    // revoked before the verifiers are up, since the first org is bootstrapped after.
    services.push(await start('command', 'command', 'command'));
    // Then everything else at once: each waits for NATS and the stream, not for the others.
    // The projectors answer queries only once caught up, and authenticate them through the
    // verifiers; the notifier publishes kw.notify.> from its own checkpoint.
    const rest: Promise<ServiceProcess>[] = [];
    for (let i = 2; i <= (options.commands ?? 1); i++) {
      rest.push(start(`command-${i}`, 'command', 'command'));
    }
    for (let i = 1; i <= (options.verifiers ?? 2); i++) {
      const id = `verifier-${i}`;
      rest.push(start(id, 'auth-verifier', 'verifier', { KEYWARD_VERIFIER_ID: id }));
    }
    for (let i = 1; i <= (options.projectors ?? 1); i++) {
      const name = i === 1 ? 'projector' : `projector-${i}`;
      const database = join(dataDir, `${name}.sqlite`);
      rest.push(start(name, 'projector', 'projector', { KEYWARD_PROJECTOR_DB: database }));
    }
    if (options.notifier ?? true) {
      const database = join(dataDir, 'notifier.sqlite');
      rest.push(start('notifier', 'notifier', 'notifier', { KEYWARD_NOTIFIER_DB: database }));
    }
    for (let i = 0; i < (options.gateways ?? 1); i++) rest.push(startGateway(i));
    await together(rest);
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
      await natsNodes[0].stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await startNatsNode(0);
    },
    natsNodes,
    startNatsNode,
    credentialFiles,
    services,
    async restartService(name) {
      const launchIt = starters.get(name);
      const index = services.findIndex((service) => service.name === name);
      if (!launchIt || index < 0) throw new Error(`no service named ${name} to restart`);
      await services[index].stop();
      services[index] = await launchIt();
      return services[index];
    },
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

interface PlannedNatsNode {
  name: string;
  port: number;
  url: string;
  configFile: string;
}

/** Ports and configuration files for the NATS servers: one, or a cluster of `natsNodes`. */
async function planNatsNodes(
  dataDir: string,
  passwords: NatsPasswords,
  options: SystemOptions,
): Promise<PlannedNatsNode[]> {
  const streams = natsStreamsFrom(options.env ?? {});
  const count = options.natsNodes ?? 1;
  if (count === 1) {
    const port = options.natsPort ?? (await freePort());
    const configFile = writeNatsConfig(dataDir, passwords, streams);
    return [{ name: 'nats-server', port, url: `nats://127.0.0.1:${port}`, configFile }];
  }
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: count }, () => freePort()));
  const routePassword = readOrCreateSecret(join(dataDir, 'nats-route-password'));
  return ports.map((port, i) => {
    const name = `nats-${i + 1}`;
    const configFile = writeNatsConfig(dataDir, passwords, streams, {
      name,
      routePort: routePorts[i],
      peerRoutePorts: routePorts.filter((_, j) => j !== i),
      routeUser: 'route',
      routePassword,
    });
    return { name, port, url: `nats://127.0.0.1:${port}`, configFile };
  });
}

/** A cluster takes a moment to elect its JetStream meta leader; nothing works before it. */
async function awaitJetStreamCluster(natsUrl: string, operatorPassword: string): Promise<void> {
  const connection = await connect(natsUserSettings(natsUrl, 'operator', operatorPassword));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await (await connection.jetstreamManager()).getAccountInfo();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await connection.close();
  }
}

function startNats(node: PlannedNatsNode, logDir: string): Promise<ServiceProcess> {
  const binary = findNatsServerBinary();
  if (!binary)
    throw new Error(
      'nats-server not found: run scripts/ensure-tools.sh (apt-get install nats-server)',
    );
  return launch({
    name: node.name,
    command: binary,
    args: ['-c', node.configFile, '-js', '-a', '127.0.0.1', '-p', String(node.port)],
    logFile: join(logDir, `${node.name}.log`),
    readyPort: node.port,
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
