import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import {
  COMMAND_SUBJECTS as S,
  DEFAULT_NATS_STREAMS,
  NatsJsonClient,
  VERIFY_SUBJECTS as V,
  type BootstrapOrganizationReply,
  type VerifyReply,
} from '@keyward/messaging';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import { launch, type ServiceProcess } from '../../../scripts/lib/service-process';

/** Built JS under dist/, as `npm run up` runs it. */
const rootDir = resolve(__dirname, '../../..');
const VERIFIER_MAIN = join(rootDir, 'dist/apps/auth-verifier/src/main.js');
const COMMAND_MAIN = join(rootDir, 'dist/apps/command/src/main.js');

export interface VerifierSystem {
  nats: NatsServerHandle;
  /** As the `internal-client` NATS user. */
  connection: NatsConnection;
  /** As the `operator` NATS user (full access), for inspecting streams. */
  operator: NatsConnection;
  client: NatsJsonClient;
  env: Record<string, string>;
  command: ServiceProcess;
  verifiers: Map<string, ServiceProcess>;
  admin: string;
  startVerifier(id: string): Promise<ServiceProcess>;
  verify(authorization: string, timeoutMs?: number): Promise<VerifyReply>;
  stop(): Promise<void>;
}

/**
 * nats-server with Keyward's authorization, one command service and `verifierCount` verifier
 * nodes, each its own process and NATS user.
 */
export async function startVerifierSystem(
  verifierCount: number,
  extraEnv: Record<string, string> = {},
): Promise<VerifierSystem> {
  const logDir = mkdtempSync(join(tmpdir(), 'keyward-verifier-e2e-'));
  if (process.env.KEYWARD_KEEP_LOGS) console.log(`verifier e2e logs: ${logDir}`);
  const nats = await startNatsServer({ authorization: DEFAULT_NATS_STREAMS });
  const operatorToken = randomBytes(16).toString('hex');
  const env: Record<string, string> = {
    KEYWARD_OPERATOR_TOKEN: operatorToken,
    ...extraEnv,
  };
  const verifiers = new Map<string, ServiceProcess>();
  const processes: ServiceProcess[] = [];
  const startVerifier = async (id: string) => {
    const verifier = await launch({
      name: `verifier ${id}`,
      command: process.execPath,
      args: [VERIFIER_MAIN],
      env: { ...env, ...nats.env('verifier'), KEYWARD_VERIFIER_ID: id },
      logFile: join(logDir, `verifier-${id}.log`),
      readyLine: 'keyward-auth-verifier ready',
    });
    verifiers.set(id, verifier);
    processes.push(verifier);
    return verifier;
  };
  const command = await launch({
    name: 'command',
    command: process.execPath,
    args: [COMMAND_MAIN],
    env: { ...env, ...nats.env('command') },
    logFile: join(logDir, 'command.log'),
    readyLine: 'keyward-command ready',
  });
  processes.push(command);
  await Promise.all(Array.from({ length: verifierCount }, (_, i) => startVerifier(`v${i + 1}`)));
  const connection = await connect({ ...nats.settings('internal-client'), noAsyncTraces: true });
  const operator = await connect({ ...nats.settings('operator'), noAsyncTraces: true });
  const client = new NatsJsonClient(connection);
  const boot = await client.request<BootstrapOrganizationReply>(
    S.bootstrapOrganization,
    { orgId: 'e2e', name: 'E2E', admin: { userId: 'admin', displayName: 'Admin' } },
    { operatorToken },
  );
  const admin = `Bearer ${boot.key.secret}`;
  await client.request(
    S.setOrganizationPolicy,
    { maxActiveKeysPerPrincipal: 5000 },
    {
      authorization: admin,
    },
  );
  return {
    nats,
    connection,
    operator,
    client,
    env,
    command,
    verifiers,
    admin,
    startVerifier,
    verify: (authorization, timeoutMs = 5000) =>
      client.request<VerifyReply>(V.verify, { authorization }, { timeoutMs }),
    async stop() {
      await connection.drain();
      await operator.drain();
      for (const service of processes.reverse()) {
        service.child.kill('SIGCONT');
        await service.stop();
      }
      const violations = [...nats.violations];
      await nats.stop();
      if (violations.length > 0) throw new Error(`NATS refused:\n${violations.join('\n')}`);
      if (!process.env.KEYWARD_KEEP_LOGS) rmSync(logDir, { recursive: true, force: true });
    },
  };
}
