import { setTimeout as sleep } from 'node:timers/promises';
import {
  EXPIRY_NOTIFICATION_TYPES,
  NOTIFICATION_TYPES,
  WEBHOOK_NOTIFICATION_TYPES,
  type Notification,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '@keyward/messaging';
import { NotifySystem } from './support/notify-system';
import { request } from './support/rest';
import { runConcurrently } from './support/run-concurrently';
import { verifySignature, WebhookReceiver, type ReceivedWebhook } from './support/webhook-receiver';

/**
 * Issue 14 part 3: webhooks on `npm run up`'s processes (JetStream store), driven over REST,
 * delivered to a receiver on loopback that checks every signature with the official Standard
 * Webhooks library and with libs/webhooks. Retry timings are shortened through the environment
 * (base 200 ms, cap 500 ms, disable after 2 s of failures, 1 s timeout).
 */
const SA = '/api/service-account/v1/service-account';
const WH = '/api/webhook/v1/endpoint';
const DISABLE_AFTER_MS = 2_000;
const TIMEOUT_MS = 1_000;
const BURST_ACCOUNTS = 3;
const BURST_KEYS_PER_ACCOUNT = 100;

type Created = WebhookEndpointView & { secret: string };
const parsed = (r: ReceivedWebhook) => JSON.parse(r.body) as Notification;
const typeOf = (r: ReceivedWebhook) => parsed(r).type as string;
const targetOf = (r: ReceivedWebhook) => parsed(r).target.id;

async function until<T>(what: string, probe: () => Promise<T> | T, ok: (value: T) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('webhooks on JetStream', () => {
  const receiver = new WebhookReceiver();
  const up = new NotifySystem({
    name: 'keyward-webhooks',
    env: {
      KEYWARD_WEBHOOK_RETRY_BASE_MS: '200',
      KEYWARD_WEBHOOK_RETRY_MAX_MS: '500',
      KEYWARD_WEBHOOK_DISABLE_AFTER_SECONDS: String(DISABLE_AFTER_MS / 1000),
      KEYWARD_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      KEYWARD_NOTIFY_EXPIRING_BEFORE_SECONDS: '2',
    },
  });
  const { heard, http } = up;
  /** The endpoint that takes every type, answering 200: the witness that an event went out. */
  let everything: Created;

  async function register(url: string, extra: Record<string, unknown> = {}): Promise<Created> {
    const created = await http<Created>('POST', WH, { url, ...extra });
    expect(created).toMatchObject({ status: 201 });
    return created.body;
  }

  async function deliveries(endpointId: string): Promise<WebhookDeliveryView[]> {
    const page = await http<{ items: WebhookDeliveryView[] }>(
      'GET',
      `${WH}/${endpointId}/delivery?limit=100`,
    );
    expect(page.status).toBe(200);
    return page.body.items;
  }

  async function createAccount(name: string): Promise<string> {
    const created = await http<{ id: string }>('POST', SA, { name });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  /** Waits until the catch-all endpoint has the event about `targetId` of `type`. */
  const witnessed = (type: string, targetId: string) =>
    receiver.until(`${type} of ${targetId} at the catch-all endpoint`, (all) =>
      all.some((r) => r.path === '/all' && typeOf(r) === type && targetOf(r) === targetId),
    );

  const head = () => up.head();

  // The data directory is made in beforeAll, not at collection: a run that filters these tests
  // out leaves nothing.
  beforeAll(async () => {
    await receiver.start();
    await up.start();
  }, 120_000);

  afterAll(async () => {
    await up.stop();
    await receiver.stop();
  });

  it('shows the secret once; every lifecycle type arrives signed, as published on NATS; a filter delivers only its types', async () => {
    everything = await register(receiver.url('/all'), { description: 'everything' });
    expect(everything).toMatchObject({
      id: expect.stringMatching(/^whe_[0-9a-f]{32}$/),
      url: receiver.url('/all'),
      description: 'everything',
      eventTypes: null,
      status: 'enabled',
      disabledReason: null,
    });
    expect(everything.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(everything.secret.slice(6), 'base64')).toHaveLength(32);
    const filtered = await register(receiver.url('/filtered'), {
      eventTypes: ['key.revoked', 'service_account.*', 'key.revoked'],
    });
    expect(filtered.eventTypes).toEqual(['key.revoked', 'service_account.*']);

    // Every lifecycle type but organization.created (before any endpoint existed).
    const account = await createAccount('ci-bot');
    expect((await http('PATCH', `${SA}/${account}`, { description: 'builds' })).status).toBe(200);
    const key = await http<{ keyId: string }>('POST', `${SA}/${account}/key`, { name: 'deploy' });
    const rotated = await http('POST', `${SA}/${account}/key/${key.body.keyId}/rotate`, {
      graceSeconds: 60,
    });
    expect(rotated.status).toBe(201);
    expect((await http('DELETE', `${SA}/${account}/key/${key.body.keyId}`)).status).toBe(204);
    const expiring = await createAccount('expiring');
    const expiresAt = Math.floor(Date.now() / 1000) + 3;
    expect((await http('POST', `${SA}/${expiring}/key`, { name: 'soon', expiresAt })).status).toBe(
      201,
    );
    const policy = { maxActiveKeysPerPrincipal: 1000 };
    expect((await http('PUT', '/api/organization/v1/policy', policy)).status).toBe(200);
    const role = { name: 'auditor', permissions: ['read'] };
    expect((await http('POST', '/api/role/v1/role', role)).status).toBe(201);
    const grants = [{ resource: 'db:analytics', role: 'reader' }];
    const member = { userId: 'dana', displayName: 'Dana', grants };
    expect((await http('POST', '/api/member/v1/member', member)).status).toBe(201);
    const regrant = { grants: [{ resource: '*', role: 'auditor' }] };
    expect((await http('PATCH', '/api/member/v1/member/dana', regrant)).status).toBe(200);
    expect((await http('DELETE', '/api/member/v1/member/dana')).status).toBe(204);
    expect((await http('DELETE', `${SA}/${account}`)).status).toBe(204);
    const other = await register(receiver.url('/other'));
    const otherPath = `${WH}/${other.id}`;
    expect((await http('PATCH', otherPath, { description: 'renamed' })).status).toBe(200);
    expect((await http('POST', `${otherPath}/disable`)).status).toBe(200);
    expect((await http('POST', `${otherPath}/enable`)).status).toBe(200);
    expect((await http('DELETE', otherPath)).status).toBe(204);

    const expected = [
      ...NOTIFICATION_TYPES.filter((t) => t !== 'organization.created'),
      ...EXPIRY_NOTIFICATION_TYPES,
      ...WEBHOOK_NOTIFICATION_TYPES,
    ];
    const all = await receiver.until('every type at /all', () =>
      expected.every((t) => receiver.requests('/all').some((r) => typeOf(r) === t)),
    );
    await sleep(300); // a stray duplicate would arrive by now
    const atAll = receiver.requests('/all');
    const byId = new Map(heard.map((h) => [h.body.eventId, h]));
    for (const r of atAll) {
      expect(verifySignature(everything.secret, r)).toEqual({
        standardWebhooks: true,
        keyward: true,
      });
      expect(verifySignature(filtered.secret, r)).toEqual({
        standardWebhooks: false,
        keyward: false,
      });
      expect(r.method).toBe('POST');
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.headers['user-agent']).toBe('Keyward-Webhooks/1');
      expect(r.id).toBe(parsed(r).eventId);
      expect(Math.abs(Number(r.timestamp) - r.at / 1000)).toBeLessThan(5);
      expect(r.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      // The body is the notification exactly as published on NATS.
      expect(r.body).toBe(byId.get(r.id)?.raw);
      expect(r.body).not.toMatch(/whsec_|sealedSecret|keyHash|kw_live_/);
    }
    // No failures, so each event once.
    expect(new Set(atAll.map((r) => r.id)).size).toBe(atAll.length);
    expect(all.length).toBeGreaterThan(expected.length);

    const atFiltered = receiver.requests('/filtered');
    for (const r of atFiltered) expect(verifySignature(filtered.secret, r).keyward).toBe(true);
    expect(new Set(atFiltered.map(typeOf))).toEqual(
      new Set([
        'key.revoked',
        'service_account.created',
        'service_account.updated',
        'service_account.deleted',
      ]),
    );
    const matching = atAll.filter((r) => /^(key\.revoked|service_account\.)/.test(typeOf(r)));
    expect(atFiltered.map((r) => r.id).sort()).toEqual(matching.map((r) => r.id).sort());

    // The secret is shown once: not in GET, list, audit log, notifications or the stored event.
    const secrets = [everything.secret, filtered.secret, other.secret];
    const leaks = (text: string) =>
      secrets.filter((s) => text.includes(s) || text.includes(s.slice(6)));
    const got = await http('GET', `${WH}/${everything.id}`);
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('secret');
    expect(leaks(got.text)).toEqual([]);
    const list = await http<{ items: WebhookEndpointView[] }>('GET', WH);
    expect(list.body.items.map((e) => e.id)).toEqual([filtered.id, everything.id]);
    expect(leaks(list.text)).toEqual([]);
    const audit = await until(
      'the audit entries of the deleted endpoint',
      () => http<{ items: { action: string }[] }>('GET', `/api/audit/v1/entry?target=${other.id}`),
      (r) => r.body.items?.length === 5,
    );
    expect(audit.body.items.map((e) => e.action).reverse()).toEqual([
      ...WEBHOOK_NOTIFICATION_TYPES,
    ]);
    const registeredAudit = await http(
      'GET',
      '/api/audit/v1/entry?action=webhook.endpoint_registered',
    );
    expect(registeredAudit.status).toBe(200);
    expect(leaks(registeredAudit.text + audit.text)).toEqual([]);
    expect(leaks(heard.map((h) => h.raw).join('\n'))).toEqual([]);
    expect(heard.map((h) => h.raw).join('\n')).not.toContain('sealedSecret');
    const registered = (await up.storeEvents()).filter(
      (e) => e.type === 'WebhookEndpointRegistered',
    );
    expect(registered).toHaveLength(3);
    for (const event of registered) {
      const raw = JSON.stringify(event.data);
      expect(raw).toMatch(/"sealedSecret":"v1\.[0-9a-f]{8}\./);
      expect(leaks(raw)).toEqual([]);
    }
    console.info(
      `webhooks: ${atAll.length} deliveries at the catch-all endpoint (${expected.length} types), ` +
        `${atFiltered.length} at the filtered one; every signature verified by both libraries`,
    );
  }, 60_000);

  it('keeps each key in order while an earlier delivery of it is retried; other keys are not held up', async () => {
    const ordered = await register(receiver.url('/ordered'), { eventTypes: ['key.*'] });
    let held: string | undefined;
    let failures = 0;
    receiver.respond('/ordered', (r) => {
      const note = parsed(r);
      if (note.type === 'key.issued' && (held ??= note.target.id) === note.target.id)
        if (failures++ < 3) return { status: 500 };
      return { status: 200 };
    });
    const account = await createAccount('ordered');
    const key = await http<{ keyId: string }>('POST', `${SA}/${account}/key`, { name: 'first' });
    const keyId = key.body.keyId;
    const successor = await http<{ keyId: string }>(
      'POST',
      `${SA}/${account}/key/${keyId}/rotate`,
      { graceSeconds: 60 },
    );
    expect(successor.status).toBe(201);
    expect((await http('DELETE', `${SA}/${account}/key/${keyId}`)).status).toBe(204);

    await receiver.until('the revocation at /ordered', () =>
      receiver.requests('/ordered').some((r) => typeOf(r) === 'key.revoked'),
    );
    const lane = receiver.requests('/ordered').filter((r) => targetOf(r) === keyId);
    expect(lane.map((r) => [typeOf(r), r.status])).toEqual([
      ['key.issued', 500],
      ['key.issued', 500],
      ['key.issued', 500],
      ['key.issued', 200],
      ['key.rotated', 200],
      ['key.revoked', 200],
    ]);
    expect(new Set(lane.slice(0, 4).map((r) => r.id)).size).toBe(1);
    for (const r of lane) expect(verifySignature(ordered.secret, r).standardWebhooks).toBe(true);
    const other = receiver
      .requests('/ordered')
      .find((r) => targetOf(r) === successor.body.keyId && typeOf(r) === 'key.issued');
    expect(other!.at).toBeLessThan(lane[3].at);

    const log = await deliveries(ordered.id);
    const issued = log.find((d) => d.id === lane[0].id)!;
    expect(issued).toMatchObject({ type: 'key.issued', status: 'delivered', nextAttemptAt: null });
    expect(issued.attempts.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, 'failed'],
      [2, 500, 'failed'],
      [3, 500, 'failed'],
      [4, 200, 'delivered'],
    ]);
    for (const attempt of issued.attempts) {
      expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
      expect(attempt.at).toBeGreaterThan(issued.createdAt - 1);
    }
    // Backoff: each wait at least half the doubling base (200, 400, then the 500 ms cap).
    const gaps = lane.slice(1, 4).map((r, i) => r.at - lane[i].at);
    gaps.forEach((gap, i) =>
      expect(gap).toBeGreaterThanOrEqual(Math.min(500, 200 * 2 ** i) / 2 - 20),
    );
    console.info(`webhooks: retries of one key's first delivery ${gaps.join(', ')} ms apart`);
  }, 30_000);

  it('retries while the receiver is down, a timeout and a redirect; the delivery log shows each attempt', async () => {
    const down = await new WebhookReceiver().start();
    const only = { eventTypes: ['service_account.created'] };
    const back = await register(down.url('/back'), only);
    const redirect = await register(receiver.url('/redirect'), only);
    const slow = await register(receiver.url('/slow'), only);
    receiver.respond('/redirect', (_r, index) =>
      index < 2 ? { status: 302, headers: { location: receiver.url('/target') } } : { status: 200 },
    );
    receiver.respond('/slow', (_r, index) => ({ status: 200, delayMs: index === 0 ? 1_500 : 0 }));
    try {
      await down.stop();
      const account = await createAccount('while-down');
      // Deliveries are queued with the relay's checkpoint: wait for the first refused attempt,
      // then stay down a little longer (less than the 2 s after which it would be disabled).
      await until(
        'a refused attempt',
        () => deliveries(back.id),
        (items) => (items[0]?.attempts.length ?? 0) > 0,
      );
      await sleep(400);
      await down.start();
      await down.until('the delivery after the restart', (all) => all.length > 0);
      await receiver.until(
        'the redirect and slow endpoints',
        () =>
          receiver.requests('/redirect').length === 3 && receiver.requests('/slow').length === 2,
      );
      expect(parsed(down.requests()[0])).toMatchObject({
        type: 'service_account.created',
        target: { id: account },
      });
      expect(verifySignature(back.secret, down.requests()[0]).standardWebhooks).toBe(true);

      const [afterDown] = await until(
        'the delivered status',
        () => deliveries(back.id),
        (items) => items[0]?.status === 'delivered',
      );
      const failed = afterDown.attempts.slice(0, -1);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      for (const attempt of failed)
        expect(attempt).toMatchObject({
          statusCode: null,
          outcome: 'failed',
          error: expect.any(String),
        });
      expect(afterDown.attempts.at(-1)).toMatchObject({ statusCode: 200, outcome: 'delivered' });
      const view = await http<WebhookEndpointView>('GET', `${WH}/${back.id}`);
      expect(view.body).toMatchObject({
        status: 'enabled',
        lastDeliveryStatus: 'delivered',
        failingSince: null,
      });

      // A 3xx is a failed attempt; its Location is never requested.
      expect(receiver.requests('/target')).toEqual([]);
      const [redirected] = await deliveries(redirect.id);
      expect(redirected.attempts.map((a) => [a.statusCode, a.outcome])).toEqual([
        [302, 'failed'],
        [302, 'failed'],
        [200, 'delivered'],
      ]);
      expect(redirected.attempts[0].error).toMatch(/redirect/i);

      // An answer slower than the timeout is a failed attempt, then retried.
      const [timedOut] = await deliveries(slow.id);
      expect(timedOut.attempts.map((a) => [a.statusCode, a.outcome])).toEqual([
        [null, 'failed'],
        [200, 'delivered'],
      ]);
      expect(timedOut.attempts[0].error).toMatch(/time/i);
      expect(timedOut.attempts[0].latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(timedOut.attempts[0].latencyMs).toBeLessThan(1_500);
      console.info(
        `webhooks: ${failed.length} refused attempts while down (${failed.map((a) => a.error).join(' | ')}); ` +
          `timeout attempt ${timedOut.attempts[0].latencyMs} ms`,
      );
    } finally {
      await down.stop();
      for (const id of [back.id, redirect.id, slow.id]) await http('DELETE', `${WH}/${id}`);
    }
  }, 30_000);

  it('disable, enable and delete are audit entries and stop deliveries; a pending delivery is abandoned', async () => {
    const managed = await register(receiver.url('/managed'), {
      eventTypes: ['service_account.created'],
    });
    const path = `${WH}/${managed.id}`;
    receiver.respond('/managed', () => ({ status: 500 }));
    const first = await createAccount('pending');
    await receiver.until('a failed attempt', () => receiver.requests('/managed').length > 0);

    const disabled = await http<WebhookEndpointView>('POST', `${path}/disable`);
    expect(disabled).toMatchObject({
      status: 200,
      body: { id: managed.id, status: 'disabled', disabledReason: 'manual' },
    });
    const before = await head();
    expect((await http('POST', `${path}/disable`)).body).toMatchObject({ status: 'disabled' });
    expect(await head()).toBe(before); // disabling a disabled endpoint appends nothing
    const [abandoned] = await until(
      'the pending delivery abandoned',
      () => deliveries(managed.id),
      (items) => items[0]?.status === 'abandoned',
    );
    expect(abandoned.id).toBe(receiver.requests('/managed')[0].id);

    receiver.respond('/managed', () => ({ status: 200 }));
    const whileDisabled = await createAccount('while-disabled');
    await witnessed('service_account.created', whileDisabled);
    const enabled = await http<WebhookEndpointView>('POST', `${path}/enable`);
    expect(enabled.body).toMatchObject({ status: 'enabled', disabledReason: null });
    const afterEnable = await head();
    expect((await http('POST', `${path}/enable`)).status).toBe(200);
    expect(await head()).toBe(afterEnable);
    const whileEnabled = await createAccount('while-enabled');
    await receiver.until('the delivery after enable', () =>
      receiver.requests('/managed').some((r) => targetOf(r) === whileEnabled),
    );

    expect((await http('DELETE', path)).status).toBe(204);
    // Queries read their own writes: the notifier folds up to the store's head first.
    for (const [method, suffix] of [
      ['GET', ''],
      ['PATCH', ''],
      ['POST', '/enable'],
      ['POST', '/disable'],
      ['DELETE', ''],
      ['GET', ''],
      ['GET', '/delivery'],
    ]) {
      const gone = await http(
        method,
        `${path}${suffix}`,
        method === 'PATCH' ? { description: 'x' } : undefined,
      );
      expect({ method, suffix, status: gone.status, code: gone.body?.code }).toEqual({
        method,
        suffix,
        status: 404,
        code: 'WEBHOOK.NOT_FOUND',
      });
    }
    const afterDelete = await createAccount('after-delete');
    await witnessed('service_account.created', afterDelete);
    await sleep(300);
    const targets = receiver.requests('/managed').map(targetOf);
    expect(targets).not.toContain(whileDisabled);
    expect(targets).not.toContain(afterDelete);
    // The abandoned delivery is not retried after enable.
    const retried = receiver.requests('/managed').filter((r) => targetOf(r) === first);
    expect(retried.map((r) => r.status).filter((s) => s !== 500)).toEqual([]);

    const audit = await until(
      'the audit entries',
      () =>
        http<{ items: { action: string; actor: { kind: string; id: string | null } }[] }>(
          'GET',
          `/api/audit/v1/entry?target=${managed.id}`,
        ),
      (r) => r.body.items?.length === 4,
    );
    expect(audit.body.items.map((e) => [e.action, e.actor.kind, e.actor.id]).reverse()).toEqual([
      ['webhook.endpoint_registered', 'member', 'owner'],
      ['webhook.endpoint_disabled', 'member', 'owner'],
      ['webhook.endpoint_enabled', 'member', 'owner'],
      ['webhook.endpoint_deleted', 'member', 'owner'],
    ]);
  }, 30_000);

  it('disables an endpoint that keeps failing: reason failing, by system, in the audit log and on NATS', async () => {
    const failing = await register(receiver.url('/failing'), {
      eventTypes: ['service_account.created'],
    });
    receiver.respond('/failing', () => ({ status: 503 }));
    await createAccount('fails');
    const view = await until(
      'the endpoint disabled',
      () => http<WebhookEndpointView>('GET', `${WH}/${failing.id}`),
      (r) => r.body.status === 'disabled',
    );
    expect(view.body).toMatchObject({
      status: 'disabled',
      disabledReason: 'failing',
      failingSince: expect.any(Number),
      lastDeliveryStatus: 'failed',
    });
    const attempts = receiver.requests('/failing');
    expect(attempts.at(-1)!.at - attempts[0].at).toBeGreaterThanOrEqual(DISABLE_AFTER_MS - 600);
    const note = await until(
      'webhook.endpoint_disabled on NATS',
      () =>
        heard.find(
          (h) => h.body.type === 'webhook.endpoint_disabled' && h.body.target.id === failing.id,
        ),
      (h) => h !== undefined,
    );
    expect(note!.body).toMatchObject({
      actor: { kind: 'system', id: null },
      target: { kind: 'webhookEndpoint', id: failing.id },
      data: expect.objectContaining({ reason: 'failing' }),
    });
    const audit = await until(
      'the audit entry',
      () =>
        http<{ items: { actor: { kind: string } }[] }>(
          'GET',
          `/api/audit/v1/entry?target=${failing.id}&action=webhook.endpoint_disabled`,
        ),
      (r) => r.body.items?.length === 1,
    );
    expect(audit.body.items[0].actor.kind).toBe('system');
    const [delivery] = await until(
      'the delivery abandoned',
      () => deliveries(failing.id),
      (items) => items[0]?.status === 'abandoned',
    );
    expect(delivery.attempts.every((a) => a.statusCode === 503 && a.outcome === 'failed')).toBe(
      true,
    );
    const count = receiver.requests('/failing').length;
    await sleep(600);
    expect(receiver.requests('/failing')).toHaveLength(count);
    // Re-enabling clears the reason.
    const enabled = await http<WebhookEndpointView>('POST', `${WH}/${failing.id}/enable`);
    expect(enabled.body).toMatchObject({ status: 'enabled', disabledReason: null });
    expect((await http('DELETE', `${WH}/${failing.id}`)).status).toBe(204);
    console.info(
      `webhooks: auto-disabled after ${count} attempts over ${attempts.at(-1)!.at - attempts[0].at} ms`,
    );
  }, 30_000);

  it('refuses unsafe URLs and bad filters with stable codes, appends nothing; only org admins manage webhooks', async () => {
    const before = await head();
    const listed = (await http<{ items: unknown[] }>('GET', WH)).body.items.length;
    const refusals: [string, string][] = [
      ['https://169.254.169.254/latest/meta-data', 'WEBHOOK.URL_NOT_ALLOWED'],
      ['https://10.0.0.1/hook', 'WEBHOOK.URL_NOT_ALLOWED'],
      ['https://192.168.1.1/hook', 'WEBHOOK.URL_NOT_ALLOWED'],
      ['https://100.64.0.1/hook', 'WEBHOOK.URL_NOT_ALLOWED'],
      ['https://[::ffff:10.0.0.1]/hook', 'WEBHOOK.URL_NOT_ALLOWED'],
      ['https://0.0.0.0/hook', 'WEBHOOK.URL_NOT_ALLOWED'],
      ['http://example.com/hook', 'WEBHOOK.URL_NOT_ALLOWED'],
      ['ftp://example.com/hook', 'WEBHOOK.INVALID_URL'],
      ['https://user:pass@example.com/hook', 'WEBHOOK.INVALID_URL'],
      ['https://example.com/hook#fragment', 'WEBHOOK.INVALID_URL'],
      [`https://example.com/${'a'.repeat(2_030)}`, 'WEBHOOK.INVALID_URL'],
      ['not a url', 'WEBHOOK.INVALID_URL'],
    ];
    for (const [url, code] of refusals) {
      const refused = await http('POST', WH, { url });
      expect({ url, status: refused.status, code: refused.body?.code }).toEqual({
        url,
        status: 400,
        code,
      });
    }
    const https = 'https://hooks.example.com/keyward';
    for (const eventTypes of [[], ['key.bogus'], ['nope.*'], ['*'], Array(51).fill('key.issued')]) {
      const refused = await http('POST', WH, { url: https, eventTypes });
      expect({ eventTypes, status: refused.status, code: refused.body?.code }).toEqual({
        eventTypes,
        status: 400,
        code: 'WEBHOOK.INVALID_FILTER',
      });
    }
    const tooLong = await http('POST', WH, { url: https, description: 'd'.repeat(501) });
    expect(tooLong.status).toBe(400);
    // An update that changes nothing appends nothing; one that would is held to the same rules.
    const same = await http('PATCH', `${WH}/${everything.id}`, { description: 'everything' });
    expect(same).toMatchObject({ status: 200, body: { description: 'everything' } });
    const moved = await http('PATCH', `${WH}/${everything.id}`, { url: 'https://10.0.0.1/' });
    expect(moved).toMatchObject({ status: 400, body: { code: 'WEBHOOK.URL_NOT_ALLOWED' } });
    const refiltered = await http('PATCH', `${WH}/${everything.id}`, { eventTypes: ['nope'] });
    expect(refiltered).toMatchObject({ status: 400, body: { code: 'WEBHOOK.INVALID_FILTER' } });
    expect(await head()).toBe(before);
    expect((await http<{ items: unknown[] }>('GET', WH)).body.items).toHaveLength(listed);
    // An org member with the admin role on every resource is still not an org admin.
    const grants = [{ resource: '*', role: 'admin' }];
    const member = { userId: 'erin', displayName: 'Erin', grants };
    expect((await http('POST', '/api/member/v1/member', member)).status).toBe(201);
    const erin = await http<{ secret: string }>('POST', '/api/member/v1/member/erin/key', {});
    const beforeErin = await head();
    const notAdmin = await request(up.system.gatewayUrl, erin.body.secret, 'POST', WH, {
      url: receiver.url('/erin'),
    });
    expect(notAdmin).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
    const notAdminList = await request(up.system.gatewayUrl, erin.body.secret, 'GET', WH);
    expect(notAdminList).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
    expect(await head()).toBe(beforeErin);
    expect((await http('DELETE', '/api/member/v1/member/erin')).status).toBe(204);
  }, 30_000);

  it('delivers every event at least once across a kill -9 of the notifier mid-burst; duplicates carry the same webhook-id', async () => {
    const burst = await register(receiver.url('/burst'), { eventTypes: ['key.issued'] });
    const accounts: string[] = [];
    for (let i = 0; i < BURST_ACCOUNTS; i++) accounts.push(await createAccount(`burst-${i}`));
    const keyIds: string[] = [];
    const jobs = accounts.flatMap((id) =>
      Array.from(
        { length: BURST_KEYS_PER_ACCOUNT },
        (_, k) => () => http<{ keyId: string }>('POST', `${SA}/${id}/key`, { name: `k${k}` }),
      ),
    );
    const issuing = runConcurrently(jobs, 16, (r) => {
      expect(r.status).toBe(201);
      keyIds.push(r.body.keyId);
    });
    await receiver.until(
      'a third of the burst delivered',
      () => receiver.requests('/burst').length >= 100,
    );
    const notifier = up.system.services.find((s) => s.name === 'notifier')!;
    notifier.child.kill('SIGKILL');
    await notifier.exited;
    const atKill = receiver.requests('/burst').length;
    await up.system.restartService('notifier');
    await issuing;
    await receiver.until('every key of the burst delivered', () => {
      const delivered = new Set(receiver.requests('/burst').map(targetOf));
      return keyIds.every((k) => delivered.has(k));
    });
    await sleep(500);
    const all = receiver.requests('/burst');
    const copies = new Map<string, ReceivedWebhook[]>();
    for (const r of all) copies.set(r.id, [...(copies.get(r.id) ?? []), r]);
    expect(copies.size).toBe(BURST_ACCOUNTS * BURST_KEYS_PER_ACCOUNT);
    let duplicates = 0;
    for (const [id, same] of copies) {
      duplicates += same.length - 1;
      for (const copy of same) {
        expect(copy.body).toBe(same[0].body);
        expect(parsed(copy).eventId).toBe(id);
        expect(verifySignature(burst.secret, copy).standardWebhooks).toBe(true);
      }
    }
    // One webhook-id per key issued: a duplicate is never a new id.
    const idsPerKey = new Map<string, Set<string>>();
    for (const r of all)
      idsPerKey.set(targetOf(r), (idsPerKey.get(targetOf(r)) ?? new Set()).add(r.id));
    expect([...idsPerKey.values()].every((ids) => ids.size === 1)).toBe(true);
    console.info(
      `webhooks: ${keyIds.length} keys issued, notifier killed after ${atKill} deliveries; ` +
        `${all.length} requests, ${copies.size} distinct webhook-ids, ${duplicates} duplicates (same id and body)`,
    );
  }, 90_000);
});

describe('webhooks with no allowed networks (production default)', () => {
  const up = new NotifySystem({
    name: 'keyward-webhooks-strict',
    env: { KEYWARD_WEBHOOK_ALLOWED_NETWORKS: '' },
    processes: { verifiers: 1, projectors: 0, notifier: false },
  });

  beforeAll(() => up.start(), 60_000);
  afterAll(() => up.stop());

  it('refuses loopback, literal or by name, and appends nothing', async () => {
    const before = await up.head();
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://[::1]:8080/hook',
      'http://localhost:8080/hook',
      'https://127.0.0.2/hook',
    ]) {
      const refused = await up.http<{ code: string; message: string }>('POST', WH, { url });
      expect({ url, status: refused.status, code: refused.body?.code }).toEqual({
        url,
        status: 400,
        code: 'WEBHOOK.URL_NOT_ALLOWED',
      });
      expect(refused.body.message).toMatch(/loopback|127\.0\.0|::1/);
    }
    expect(await up.head()).toBe(before);
  }, 20_000);
});
