import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import {
  COMMAND_SUBJECTS as C,
  NatsJsonClient,
  QUERY_SUBJECTS as Q,
  type BootstrapOrganizationReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';

/**
 * One of two verifiers stalled (SIGSTOP): NATS keeps routing half of `kw.verify` to it. The
 * projector, Keyward's own caller of `kw.verify`, hedges, so queries keep working (issue 16,
 * item 3).
 */
const rootDir = resolve(__dirname, '..');

describe('a stalled verifier does not fail the queries that authenticate through it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-stalled-'));
  let system: RunningSystem;
  let connection: NatsConnection;
  let authorization: string;

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir });
    connection = await connect(system.natsSettings('internal-client'));
    const client = new NatsJsonClient(connection);
    const boot = await client.request<BootstrapOrganizationReply>(
      C.bootstrapOrganization,
      { orgId: 'stall', name: 'Stall', admin: { userId: 'a', displayName: 'A' } },
      { operatorToken: system.operatorToken },
    );
    authorization = `Bearer ${boot.key.secret}`;
  }, 60_000);
  afterAll(async () => {
    for (const service of system?.services ?? []) service.child.kill('SIGCONT');
    await connection?.drain();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers ≥ 99 % of queries while one verifier is stopped', async () => {
    const stalled = system.services.find((service) => service.name === 'verifier-1');
    expect(stalled).toBeDefined();
    stalled?.child.kill('SIGSTOP');
    try {
      const client = new NatsJsonClient(connection, 10_000);
      let ok = 0;
      const total = 200;
      for (let batch = 0; batch < total / 10; batch++) {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, () =>
            client.request(Q.listServiceAccounts, {}, { authorization }),
          ),
        );
        ok += results.filter((result) => result.status === 'fulfilled').length;
      }
      expect(ok / total).toBeGreaterThanOrEqual(0.99);
      const http = await fetch(`${system.gatewayUrl}/api/service-account/v1/service-account`, {
        headers: { authorization },
      });
      expect(http.status).toBe(200);
    } finally {
      stalled?.child.kill('SIGCONT');
    }
  }, 60_000);
});
