import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import {
  COMMAND_SUBJECTS,
  NatsJsonClient,
  type BootstrapOrganizationReply,
} from '@keyward/messaging';
import { gatewayPortFor, rememberGatewayPort, UpError } from './lib/gateway-port';
import { prettyPrintLogs, upLogsFrom } from './lib/pretty-logs';
import { startSystem, type RunningSystem } from './lib/system';

const rootDir = resolve(__dirname, '../..');
const dataDir = resolve(process.env.KEYWARD_DATA_DIR ?? join(rootDir, '.data'));

/** `npm run up`: NATS + every service as processes, a first org and admin key on first start. */
async function main(): Promise<void> {
  console.log(`keyward: starting NATS and the services (data in ${dataDir})`);
  const logs = upLogsFrom(process.env);
  checkDataDir();
  const started = Date.now();
  const system = await startSystem({
    dataDir,
    rootDir,
    natsNodes: natsNodesFrom(process.env),
    gatewayPort: await gatewayPortFor(dataDir, process.env, (line) => console.log(line)),
    onReady: (service, listening) =>
      console.log(
        `keyward:   ${service.name.padEnd(12)} ready  pid ${String(service.child.pid).padEnd(7)} ${listening}`,
      ),
  });
  rememberGatewayPort(dataDir, system.gatewayUrl);
  console.log(`keyward: all ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let stopping = false;
  const stopAndExit = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await system.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAndExit(0));
  process.once('SIGTERM', () => void stopAndExit(0));
  for (const service of [...system.natsNodes, ...system.services]) {
    void service.exited.then((code) => {
      if (stopping) return;
      console.error(
        `keyward: ${service.name} exited (${code}); stopping everything. Logs: ${dataDir}/logs`,
      );
      void stopAndExit(1);
    });
  }
  const admin = await bootstrapOnce(system);
  printSummary(system, admin);
  if (logs === 'pretty') prettyPrintLogs(system.services);
}

/** `KEYWARD_NATS_NODES`: 1 (default) or a JetStream cluster of 3 or 5 nodes on loopback. */
function natsNodesFrom(env: NodeJS.ProcessEnv): number {
  const value = env.KEYWARD_NATS_NODES ?? '1';
  if (!['1', '3', '5'].includes(value)) {
    throw new UpError(`KEYWARD_NATS_NODES must be 1, 3 or 5; got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** The data directory's own files, checked before anything starts: a corrupt one is named. */
function checkDataDir(): void {
  for (const file of ['admin.json', 'nats-passwords.json']) {
    const path = join(dataDir, file);
    if (!existsSync(path)) continue;
    try {
      JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new UpError(
        `${path} is corrupt (${(error as Error).message.replace(/\s+/g, ' ')}): restore it from a backup, or move ${dataDir} away to start afresh (a new organization, no data)`,
      );
    }
  }
}

async function bootstrapOnce(system: RunningSystem): Promise<BootstrapOrganizationReply> {
  const path = join(dataDir, 'admin.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as BootstrapOrganizationReply;
  console.log('keyward: first start: bootstrapping the organization and its admin key');
  // A maintenance step, so it runs as the operator user (its replies stay on its own inbox).
  const connection = await connect(system.natsSettings('operator'));
  try {
    const reply = await new NatsJsonClient(connection).request<BootstrapOrganizationReply>(
      COMMAND_SUBJECTS.bootstrapOrganization,
      {
        orgId: process.env.KEYWARD_BOOTSTRAP_ORG_ID ?? 'default',
        name: process.env.KEYWARD_BOOTSTRAP_ORG_NAME ?? 'Default organization',
        admin: { userId: 'admin', displayName: 'Administrator' },
      },
      { operatorToken: system.operatorToken, idempotencyKey: 'npm-run-up-bootstrap' },
    );
    // The secret is shown once by the API; for local development it is kept here, owner-only.
    writeFileSync(path, `${JSON.stringify(reply, null, 2)}\n`, { mode: 0o600 });
    return reply;
  } finally {
    await connection.drain();
  }
}

function printSummary(system: RunningSystem, admin: BootstrapOrganizationReply): void {
  const cli = join(rootDir, 'dist/apps/cli/src/main.js');
  const lines = [
    '',
    'keyward is up',
    `  NATS:          ${system.natsUrl} (authorization on; one user per service)`,
    `  NATS clients:  ${system.credentialFiles.internalClient} (internal-client: commands, queries, verify)`,
    `  NATS operator: ${system.credentialFiles.operator} (full access, for maintenance tools only)`,
    `  gateway:       ${system.gatewayUrl}  (REST API)`,
    `  OpenAPI:       ${system.gatewayUrl}/api/docs  (document: ${system.gatewayUrl}/api/docs-json)`,
    `  console:       ${system.gatewayUrl}/console/  (sign in with the admin key below)`,
    `  organization:  ${admin.orgId}`,
    `  admin key:     ${admin.key.secret ?? '(shown once at first bootstrap; it is no longer on record)'}`,
    `  processes:     ${[...system.natsNodes, ...system.services].map((s) => `${s.name}=${s.child.pid}`).join(' ')}`,
    `  logs:          ${dataDir}/logs (JSON lines; KEYWARD_UP_LOGS=pretty also prints them here)`,
    '',
    '  try:',
    `    export KEYWARD_URL=${system.gatewayUrl} KEYWARD_KEY=${admin.key.secret ?? '<admin key>'}`,
    `    node ${cli} whoami`,
    `    node ${cli} sa create --name ci-bot --role reader`,
    '    curl -H "Authorization: Bearer $KEYWARD_KEY" $KEYWARD_URL/api/service-account/v1/service-account',
    '  Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof UpError ? `keyward: ${message}` : `keyward: failed to start: ${message}`,
  );
  process.exit(1);
});
