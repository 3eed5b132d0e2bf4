import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { hashApiKey } from '@keyward/keys';
import {
  COMMAND_SUBJECTS as S,
  NatsJsonClient,
  QUERY_SUBJECTS as Q,
  VERIFY_SUBJECTS as V,
  type VerifyReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import { familyOf, has, parsePrometheusText, total, type Sample } from './support/prometheus-text';

/**
 * Issue 11's operator view, on `npm run up`'s processes: after a whole scenario (bootstrap,
 * create, issue, verify over NATS and HTTP, a refusal, a read, a revocation), every service's
 * /metrics has the series the README and the dashboard name, with plausible values; every log
 * line is JSON, requests are logged with their correlation id, principal and outcome; and no log
 * line holds a secret, a key hash, the operator token or a NATS password.
 */
const rootDir = resolve(__dirname, '..');
const dashboard = JSON.parse(
  readFileSync(join(rootDir, 'deploy/monitoring/keyward-dashboard.json'), 'utf8'),
) as { panels: { targets?: { expr: string }[] }[] };

describe('logs and metrics after a whole scenario', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-observability-'));
  let system: RunningSystem;
  let operator: NatsConnection;
  const secrets: string[] = [];
  const metrics: Record<string, Sample[]> = {};
  let accountId: string;

  async function http(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }

  const scrape = async (service: string) => {
    const url = system.readyUrls[service].replace(/\/readyz$/, '/metrics');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return parsePrometheusText(await response.text());
  };

  beforeAll(async () => {
    system = await startSystem({
      dataDir,
      rootDir,
      verifiers: 2,
      env: { LOG_LEVEL: 'debug', KEYWARD_USAGE_FLUSH_MS: '200' },
    });
    operator = await connect(system.natsSettings('operator'));
    const boot = await http(
      'POST',
      '/api/operator/v1/organization',
      { 'keyward-operator-token': system.operatorToken, 'x-request-id': 'obs-boot' },
      { orgId: 'acme', name: 'Acme', admin: { userId: 'root', displayName: 'Root' } },
    );
    expect(boot.status).toBe(201);
    const admin = (boot.body.key as { secret: string }).secret;
    secrets.push(admin);
    const created = await http(
      'POST',
      '/api/service-account/v1/service-account',
      { authorization: admin, 'x-request-id': 'obs-create' },
      { name: 'ci-deployer', enableBasicAuth: false },
    );
    expect(created.status).toBe(201);
    accountId = created.body.id as string;
    const issue = () =>
      http(
        'POST',
        `/api/service-account/v1/service-account/${accountId}/key`,
        { authorization: admin, 'x-request-id': 'obs-issue' },
        {},
      );
    const kept = await issue();
    const revoked = await issue();
    expect([kept.status, revoked.status]).toEqual([201, 201]);
    secrets.push(kept.body.secret as string, revoked.body.secret as string);

    const client = new NatsJsonClient(operator);
    for (let i = 0; i < 20; i++) {
      const reply = await client.request<VerifyReply>(V.verify, { key: kept.body.secret });
      expect(reply.valid).toBe(true);
    }
    const authorized = await client.request<VerifyReply & { allowed?: boolean }>(V.authorize, {
      key: kept.body.secret,
      resource: 'db:nowhere',
      permission: 'admin',
    });
    expect(authorized.valid).toBe(true);
    const forward = await fetch(`${system.gatewayUrl}/api/auth/v1/forward`, {
      headers: { authorization: `Bearer ${kept.body.secret as string}` },
    });
    expect(forward.status).toBe(200);
    const refused = await http('GET', `/api/service-account/v1/service-account/${accountId}`, {
      authorization: 'kw_live_not-a-real-key',
      'x-request-id': 'obs-refused',
    });
    expect(refused.status).toBe(401);
    const read = await http('GET', `/api/service-account/v1/service-account/${accountId}`, {
      authorization: admin,
      'x-request-id': 'obs-read',
    });
    expect(read.status).toBe(200);
    const revoke = await http(
      'DELETE',
      `/api/service-account/v1/service-account/${accountId}/key/${revoked.body.keyId as string}`,
      { authorization: admin, 'x-request-id': 'obs-revoke' },
    );
    expect(revoke.status).toBe(204);
    const after = await client.request<VerifyReply>(V.verify, { key: revoked.body.secret });
    expect(after).toEqual({
      valid: false,
      reason: 'revoked',
      position: expect.stringMatching(/^\d+$/),
    });

    // Usage rollups are published every 200 ms here and applied by the projector; the projector
    // then has nothing left to apply.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const projector = await scrape('projector');
      const verifiers = [...(await scrape('verifier-1')), ...(await scrape('verifier-2'))];
      const settled =
        total(projector, 'keyward_projector_usage_rollups_applied_total') >= 1 &&
        total(projector, 'keyward_projector_lag') === 0 &&
        total(verifiers, 'keyward_verifier_usage_rollups_published_total', {
          result: 'published',
        }) >= 1;
      if (settled || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const service of ['command', 'verifier-1', 'verifier-2', 'projector']) {
      metrics[service] = await scrape(service);
    }
    const gateway = await fetch(`${system.gatewayUrl}/metrics`);
    metrics.gateway = parsePrometheusText(await gateway.text());
  }, 120_000);

  afterAll(async () => {
    await operator?.close();
    await system?.stop();
    if (!process.env.KEYWARD_KEEP_LOGS) rmSync(dataDir, { recursive: true, force: true });
    else console.log(dataDir);
  });

  it('every service: process metrics, its NATS connections up with no reconnect, its own info', () => {
    for (const [service, samples] of Object.entries(metrics)) {
      expect({ service, cpu: total(samples, 'process_cpu_seconds_total') > 0 }).toEqual({
        service,
        cpu: true,
      });
      expect(has(samples, 'nodejs_eventloop_lag_p99_seconds')).toBe(true);
      expect(samples.find((s) => s.name === 'keyward_service_info')?.labels).toEqual({
        service: expect.stringMatching(/^keyward-/),
        version: JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')).version,
      });
      const connections = samples.filter((s) => s.name === 'keyward_nats_connected');
      expect(connections.length).toBeGreaterThan(0);
      expect(connections.every((s) => s.value === 1)).toBe(true);
      expect(total(samples, 'keyward_nats_reconnects_total')).toBe(0);
    }
  });

  it('the command service: durations and outcomes by subject and code, contention, propagation', () => {
    const command = metrics.command;
    const count = (subject: string, outcome: string) =>
      total(command, 'keyward_request_duration_seconds_count', { subject, outcome });
    expect(count(S.bootstrapOrganization, 'ok')).toBe(1);
    expect(count(S.createServiceAccount, 'ok')).toBe(1);
    expect(count(S.issueServiceAccountKey, 'ok')).toBe(2);
    expect(count(S.revokeServiceAccountKey, 'ok')).toBe(1);
    expect(total(command, 'keyward_request_duration_seconds_sum')).toBeGreaterThan(0);
    expect(total(command, 'keyward_request_duration_seconds_sum')).toBeLessThan(30);
    expect(has(command, 'keyward_command_conflicts_total')).toBe(true);
    expect(total(command, 'keyward_command_conflicts_total')).toBe(0);
    expect(has(command, 'keyward_command_retries_total')).toBe(true);
    expect(total(command, 'keyward_command_batch_size_count')).toBeGreaterThanOrEqual(5);
    expect(total(command, 'keyward_revocation_propagation_seconds_count')).toBe(1);
    const propagation = total(command, 'keyward_revocation_propagation_seconds_sum');
    expect(propagation).toBeGreaterThan(0);
    expect(propagation).toBeLessThan(5);
    expect(total(command, 'keyward_revocation_propagation_timeouts_total')).toBe(0);
    // Two verifier processes and the gateway's own node.
    expect(total(command, 'keyward_verifiers_live')).toBe(3);
  });

  it('the verifiers: latency and outcomes by reason, index size, the G2 clock, usage rollups', () => {
    const both = [...metrics['verifier-1'], ...metrics['verifier-2']];
    const outcomes = (operation: string, outcome: string) =>
      total(both, 'keyward_verify_outcomes_total', { operation, outcome });
    // 20 here, and the projector authenticating the read (hedged: perhaps more than once).
    expect(outcomes('verify', 'valid')).toBeGreaterThanOrEqual(21);
    expect(outcomes('verify', 'revoked')).toBe(1);
    expect(outcomes('authorize', 'forbidden')).toBe(1);
    // The projector's check of the made-up key: refused before any lookup.
    expect(outcomes('verify', 'malformed') + outcomes('verify', 'unknown')).toBeGreaterThanOrEqual(
      1,
    );
    expect(total(both, 'keyward_verify_duration_seconds_count', { operation: 'verify' })).toBe(
      total(both, 'keyward_verify_outcomes_total', { operation: 'verify' }),
    );
    const meanSeconds =
      total(both, 'keyward_verify_duration_seconds_sum') /
      total(both, 'keyward_verify_duration_seconds_count');
    expect(meanSeconds).toBeGreaterThan(0);
    expect(meanSeconds).toBeLessThan(0.5);
    for (const service of ['verifier-1', 'verifier-2']) {
      const samples = metrics[service];
      // The admin's key and the two issued keys.
      expect(total(samples, 'keyward_verifier_index_keys')).toBe(3);
      expect(total(samples, 'keyward_verifier_serving')).toBe(1);
      const staleness = total(samples, 'keyward_verifier_staleness_ms');
      expect(staleness).toBeGreaterThanOrEqual(0);
      expect(staleness).toBeLessThan(2000);
      expect(total(samples, 'keyward_verifier_applied_position')).toBeGreaterThan(0);
    }
    expect(
      total(both, 'keyward_verifier_usage_rollups_published_total', { result: 'published' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('the projector: events applied, no lag, rollups applied, query durations by outcome', () => {
    const projector = metrics.projector;
    expect(total(projector, 'keyward_projector_events_applied_total')).toBeGreaterThanOrEqual(5);
    expect(total(projector, 'keyward_projector_lag')).toBe(0);
    expect(total(projector, 'keyward_projector_applied_position')).toBeGreaterThan(0);
    expect(total(projector, 'keyward_projector_usage_rollups_applied_total')).toBeGreaterThan(0);
    expect(
      total(projector, 'keyward_request_duration_seconds_count', {
        subject: Q.getServiceAccount,
        outcome: 'ok',
      }),
    ).toBe(1);
  });

  it('the gateway: HTTP durations by route and status, verify outcomes, its node', () => {
    const gateway = metrics.gateway;
    expect(
      total(gateway, 'keyward_gateway_http_request_duration_seconds_count', {
        route: '/api/service-account/v1/service-account/:id/key',
        status: '201',
      }),
    ).toBe(2);
    expect(total(gateway, 'keyward_gateway_verify_outcomes_total', { reason: 'valid' })).toBe(1);
    expect(total(gateway, 'keyward_verifier_index_keys')).toBe(3);
    expect(total(gateway, 'keyward_verifier_serving')).toBe(1);
  });

  it('every metric the Grafana dashboard queries exists', () => {
    const families = new Set(
      Object.values(metrics).flatMap((samples) => samples.map((s) => familyOf(s.name))),
    );
    const queried = dashboard.panels
      .flatMap((panel) => panel.targets ?? [])
      .flatMap(({ expr }) => expr.match(/\b(keyward|process|nodejs)_[a-z0-9_]+/g) ?? [])
      .map(familyOf);
    expect(queried.length).toBeGreaterThan(20);
    expect([...new Set(queried)].filter((name) => !families.has(name))).toEqual([]);
  });

  describe('logs', () => {
    const serviceLogs = () =>
      readdirSync(join(dataDir, 'logs'))
        .filter((file) => !file.startsWith('nats'))
        .map((file) => ({ file, text: readFileSync(join(dataDir, 'logs', file), 'utf8') }));
    const linesOf = (file: string) =>
      readFileSync(join(dataDir, 'logs', file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    it('every line of every service is one JSON object with level, time, service and msg', () => {
      const files = serviceLogs();
      expect(files.map((f) => f.file).sort()).toEqual(
        ['command', 'gateway', 'notifier', 'projector', 'verifier-1', 'verifier-2'].map(
          (n) => `${n}.log`,
        ),
      );
      for (const { file } of files) {
        for (const line of linesOf(file)) {
          expect({ file, line }).toEqual({
            file,
            line: expect.objectContaining({
              level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/),
              time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
              service: expect.stringMatching(/^keyward-/),
              msg: expect.any(String),
            }),
          });
        }
      }
    });

    it('each NATS request once: subject, correlation id, principal, outcome code, duration', () => {
      const requests = linesOf('command.log').filter((line) => line.msg === 'request');
      expect(requests.filter((line) => line.correlationId === 'obs-boot')).toEqual([
        expect.objectContaining({ principalId: 'operator', outcome: 'ok' }),
      ]);
      const issued = requests.filter((line) => line.correlationId === 'obs-issue');
      expect(issued).toHaveLength(2);
      expect(issued[0]).toEqual(
        expect.objectContaining({
          level: 'info',
          subject: S.issueServiceAccountKey,
          principalId: expect.stringMatching(/\S/),
          outcome: 'ok',
          durationMs: expect.any(Number),
        }),
      );
      expect(requests.filter((line) => line.correlationId === 'obs-revoke')).toEqual([
        expect.objectContaining({ subject: S.revokeServiceAccountKey, outcome: 'ok' }),
      ]);
      const queries = linesOf('projector.log').filter((line) => line.msg === 'request');
      expect(queries.filter((line) => line.correlationId === 'obs-read')).toEqual([
        expect.objectContaining({
          subject: Q.getServiceAccount,
          principalId: issued[0].principalId,
          outcome: 'ok',
        }),
      ]);
      expect(queries.filter((line) => line.correlationId === 'obs-refused')).toEqual([
        expect.objectContaining({
          subject: Q.getServiceAccount,
          outcome: 'AUTH.INVALID_CREDENTIAL',
        }),
      ]);
      const http = linesOf('gateway.log').filter((line) => line.msg === 'request');
      expect(http.filter((line) => line.requestId === 'obs-refused')).toEqual([
        expect.objectContaining({
          status: 401,
          route: '/api/service-account/v1/service-account/:id',
        }),
      ]);
    });

    it('no line holds a key, a key hash, the operator token or a NATS password', () => {
      const passwords = Object.values(
        JSON.parse(readFileSync(join(dataDir, 'nats-passwords.json'), 'utf8')) as Record<
          string,
          string
        >,
      );
      const forbidden = [
        ...secrets,
        ...secrets.map((secret) => hashApiKey(secret)),
        system.operatorToken,
        ...passwords,
      ];
      expect(forbidden.length).toBeGreaterThanOrEqual(10);
      for (const { file, text } of serviceLogs()) {
        expect(text.length).toBeGreaterThan(0);
        for (const value of forbidden) {
          expect({ file, leaked: text.includes(value) }).toEqual({ file, leaked: false });
        }
      }
    });
  });
});
