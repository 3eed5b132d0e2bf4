import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import {
  ALL_NOTIFY_SUBJECTS,
  COMMAND_SUBJECTS as S,
  NatsJsonClient,
  type BootstrapOrganizationReply,
  type IssuedKeyReply,
  type Notification,
  type ServiceAccountReply,
  type WebhookEndpointCreatedReply,
} from '@keyward/messaging';
import { startSystem } from '../../scripts/lib/system';
import { WebhookReceiver } from '../../test/support/webhook-receiver';
import { writeResults } from '../lib/measure';

/**
 * `npm run bench:webhooks`: `npm run up`'s processes, one webhook endpoint (every type) on a
 * local receiver, and a plain `kw.notify.>` subscriber. Issues keys over NATS at BENCH_RATE a
 * second for BENCH_SECONDS, and reports how long after each event's commit its first webhook
 * attempt and its NATS notification arrived: from the notification's `occurredAt` (the command's
 * clock, this machine) and from the command's reply at the caller. Target (SPEC §5): first
 * attempt p99 < 1 s after the commit.
 */
const rootDir = resolve(__dirname, '../../..');
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ACCOUNTS = 100;
const TICK_MS = 20;
const DRAIN_TIMEOUT_MS = 30_000;

interface Issue {
  sentAt: number;
  repliedAt: number;
}

interface Percentiles {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    count: sorted.length,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1],
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-bench-webhooks-'));
  const receiver = await new WebhookReceiver().start();
  const system = await startSystem({ dataDir, rootDir, verifiers: 1 });
  const connection = await connect({ ...system.natsSettings('operator'), noAsyncTraces: true });
  try {
    const client = new NatsJsonClient(connection, 30_000);
    const boot = await client.request<BootstrapOrganizationReply>(
      S.bootstrapOrganization,
      { orgId: 'bench', name: 'Bench', admin: { userId: 'admin', displayName: 'Admin' } },
      { operatorToken: system.operatorToken },
    );
    const authorization = `Bearer ${boot.key.secret}`;
    await client.request(
      S.setOrganizationPolicy,
      { maxActiveKeysPerPrincipal: 10_000 },
      { authorization },
    );
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const account = await client.request<ServiceAccountReply>(
        S.createServiceAccount,
        { name: `bench-${i}` },
        { authorization },
      );
      accounts.push(account.id);
    }
    await client.request<WebhookEndpointCreatedReply>(
      S.registerWebhookEndpoint,
      { url: receiver.url('/bench'), eventTypes: ['key.issued'] },
      { authorization },
    );

    const notified = new Map<string, { at: number; body: Notification }>();
    const subscription = connection.subscribe(ALL_NOTIFY_SUBJECTS);
    void (async () => {
      for await (const message of subscription) {
        const body = message.json<Notification>();
        if (body.type === 'key.issued' && !notified.has(body.eventId))
          notified.set(body.eventId, { at: Date.now(), body });
      }
    })();
    await connection.flush();

    // Paced: RATE/s in ticks of TICK_MS, each tick sending what the schedule says is due.
    const issues = new Map<string, Issue>();
    const failures: string[] = [];
    const total = RATE * SECONDS;
    const started = Date.now();
    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
      for (; sent < due; sent++) {
        const sentAt = Date.now();
        const issue = client
          .request<IssuedKeyReply>(
            S.issueServiceAccountKey,
            { id: accounts[sent % ACCOUNTS] },
            { authorization },
          )
          .then(
            (reply) => void issues.set(reply.keyId, { sentAt, repliedAt: Date.now() }),
            (error: unknown) => void failures.push(String(error)),
          );
        inFlight.add(issue);
        void issue.finally(() => inFlight.delete(issue));
      }
      await new Promise((resolveTick) => setTimeout(resolveTick, TICK_MS));
    }
    await Promise.all(inFlight);
    const sendSeconds = (Date.now() - started) / 1000;

    const firstAttempt = () => {
      const first = new Map<string, number>();
      for (const r of receiver.requests('/bench')) if (!first.has(r.id)) first.set(r.id, r.at);
      return first;
    };
    const drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (firstAttempt().size < issues.size || notified.size < issues.size) {
      if (Date.now() > drainDeadline) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    subscription.unsubscribe();

    const first = firstAttempt();
    const commitToWebhook: number[] = [];
    const replyToWebhook: number[] = [];
    const commitToNats: number[] = [];
    const replyToNats: number[] = [];
    const commandReply: number[] = [];
    const natsToWebhook: number[] = [];
    for (const [eventId, { at, body }] of notified) {
      const issue = issues.get(body.target.id);
      if (!issue) continue;
      const committed = Date.parse(body.occurredAt);
      commitToNats.push(at - committed);
      replyToNats.push(at - issue.repliedAt);
      const webhookAt = first.get(eventId);
      if (webhookAt === undefined) continue;
      commitToWebhook.push(webhookAt - committed);
      natsToWebhook.push(webhookAt - at);
      replyToWebhook.push(webhookAt - issue.repliedAt);
    }
    for (const issue of issues.values()) commandReply.push(issue.repliedAt - issue.sentAt);
    const requests = receiver.requests('/bench');
    const summary = {
      rateTarget: RATE,
      seconds: SECONDS,
      keysIssued: issues.size,
      commandFailures: failures.length,
      achievedRate: issues.size / sendSeconds,
      notificationsHeard: notified.size,
      webhookRequests: requests.length,
      webhooksDistinct: first.size,
      webhooksMissing: issues.size - first.size,
      webhookNon2xx: requests.filter((r) => r.status < 200 || r.status > 299).length,
      commitToFirstAttempt: percentiles(commitToWebhook),
      replyToFirstAttempt: percentiles(replyToWebhook),
      commitToNatsNotification: percentiles(commitToNats),
      replyToNatsNotification: percentiles(replyToNats),
      commandReply: percentiles(commandReply),
      natsNotificationToFirstAttempt: percentiles(natsToWebhook),
      commandFailureReasons: countBy(failures),
      notifierMetrics: await webhookMetrics(system.readyUrls.notifier),
      targets: { firstAttemptP99Ms: 1000 },
    };
    const row = (name: string, p: Percentiles) => ({
      name,
      count: p.count,
      'p50 ms': p.p50Ms.toFixed(1),
      'p90 ms': p.p90Ms.toFixed(1),
      'p99 ms': p.p99Ms.toFixed(1),
      'max ms': p.maxMs.toFixed(1),
    });
    console.table([
      row('commit (occurredAt) → first webhook attempt', summary.commitToFirstAttempt),
      row('command reply → first webhook attempt', summary.replyToFirstAttempt),
      row('commit (occurredAt) → NATS notification', summary.commitToNatsNotification),
      row('command reply → NATS notification', summary.replyToNatsNotification),
      row('NATS notification → first webhook attempt', summary.natsNotificationToFirstAttempt),
      row('issue-key command round trip', summary.commandReply),
    ]);
    console.log(
      `${issues.size} keys issued at ${summary.achievedRate.toFixed(0)}/s (target ${RATE}/s, ` +
        `${failures.length} failed); ${first.size} delivered by webhook (${summary.webhooksMissing} missing, ` +
        `${requests.length - first.size} repeated attempts), ${notified.size} heard on NATS; ` +
        `first attempt p99 ${summary.commitToFirstAttempt.p99Ms.toFixed(0)} ms after commit (target < 1000 ms)`,
    );
    console.log(`results: ${writeResults(rootDir, 'webhooks', { summary })}`);
  } finally {
    await connection.drain();
    await system.stop();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** The notifier's webhook metrics at the end of the run, as Prometheus text lines. */
async function webhookMetrics(readyUrl: string | undefined): Promise<string[]> {
  if (!readyUrl) return [];
  const text = await fetch(readyUrl.replace(/\/readyz$/, '/metrics'))
    .then((r) => r.text())
    .catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.startsWith('keyward_webhook_') && !line.includes('_bucket'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
