import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_NATS_STREAMS,
  NATS_USERS,
  renderNatsAuthorization,
  type NatsStreamNames,
  type NatsUser,
} from '@keyward/messaging';

/** One password per NATS user, kept in the data directory (owner-only) across restarts. */
export type NatsPasswords = Record<NatsUser, string>;

export function readOrCreateNatsPasswords(dataDir: string): NatsPasswords {
  const path = join(dataDir, 'nats-passwords.json');
  const known = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Partial<NatsPasswords>)
    : {};
  const passwords = Object.fromEntries(
    NATS_USERS.map((user) => [user, known[user] ?? randomBytes(24).toString('base64url')]),
  ) as NatsPasswords;
  writeFileSync(path, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  return passwords;
}

/** The stream names the services will use, from the same variables they read. */
export function natsStreamsFrom(env: NodeJS.ProcessEnv): NatsStreamNames {
  return {
    ...DEFAULT_NATS_STREAMS,
    eventStream: env.KEYWARD_JETSTREAM_STREAM || DEFAULT_NATS_STREAMS.eventStream,
    eventSubjectPrefix:
      env.KEYWARD_JETSTREAM_SUBJECT_PREFIX || DEFAULT_NATS_STREAMS.eventSubjectPrefix,
    notifyStream: env.KEYWARD_NOTIFY_STREAM || DEFAULT_NATS_STREAMS.notifyStream,
  };
}

/** One node of a NATS cluster on loopback: its name, route port and the other nodes' routes. */
export interface NatsClusterNode {
  name: string;
  routePort: number;
  peerRoutePorts: number[];
  /** Routes authenticate with this user and password (generated per data directory). */
  routeUser: string;
  routePassword: string;
}

/**
 * nats-server's configuration: JetStream in the data directory and Keyward's users; with
 * `node`, one server of a JetStream cluster (its own store, routes to the other nodes).
 */
export function writeNatsConfig(
  dataDir: string,
  passwords: NatsPasswords,
  streams: NatsStreamNames,
  node?: NatsClusterNode,
): string {
  const path = join(dataDir, node ? `nats-${node.name}.conf` : 'nats.conf');
  const store = JSON.stringify(join(dataDir, node ? `jetstream-${node.name}` : 'jetstream'));
  const authorization = renderNatsAuthorization({
    streams,
    password: (user) => ({ value: passwords[user] }),
  });
  const cluster = node ? clusterBlock(node) : '';
  writeFileSync(path, `${cluster}jetstream { store_dir: ${store} }\n\n${authorization}`, {
    mode: 0o600,
  });
  return path;
}

function clusterBlock(node: NatsClusterNode): string {
  const credentials = `${node.routeUser}:${node.routePassword}`;
  const routes = node.peerRoutePorts
    .map((port) => `    "nats-route://${credentials}@127.0.0.1:${port}"`)
    .join('\n');
  return [
    `server_name: ${JSON.stringify(node.name)}`,
    'cluster {',
    '  name: keyward',
    `  listen: "127.0.0.1:${node.routePort}"`,
    `  authorization { user: ${JSON.stringify(node.routeUser)}, password: ${JSON.stringify(node.routePassword)} }`,
    `  routes: [\n${routes}\n  ]`,
    '}',
    '',
  ].join('\n');
}

/** A `.env` file for one user (owner-only): what a caller needs to reach Keyward. */
export function writeNatsEnvFile(path: string, env: Record<string, string>): void {
  const lines = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}
