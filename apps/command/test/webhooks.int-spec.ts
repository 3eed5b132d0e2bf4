import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import {
  COMMAND_SUBJECTS as S,
  NatsJsonClient,
  type IssuedKeyReply,
  type MemberReply,
  type ServiceAccountReply,
  type WebhookEndpointCreatedReply,
  type WebhookEndpointView,
} from '@keyward/messaging';
import { secretBox, verifyWebhookSignature, signWebhook } from '@keyward/webhooks';
import { startCommandService, type CommandServiceHarness } from './command-service.harness';
import { bearer, expectReplyError } from './expect-reply-error';

interface StoredEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const SECRET_KEY = randomBytes(32).toString('base64');
const PUBLIC_URL = 'https://93.184.216.34/hooks/keyward';

/** Starts the command service with `env` added (and removed again once it runs). */
async function startWith(env: Record<string, string>): Promise<CommandServiceHarness> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await startCommandService();
  } finally {
    for (const name of Object.keys(env)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

describe('webhook endpoints over NATS (JetStream, real nats-server)', () => {
  let h: CommandServiceHarness;
  let admin: string;
  let other: string;
  /** The notifier's NATS user: the only one that may send disable-failing. */
  let notifierConnection: NatsConnection;
  let notifier: NatsJsonClient;

  beforeAll(async () => {
    h = await startWith({
      KEYWARD_WEBHOOK_SECRET_KEY: SECRET_KEY,
      KEYWARD_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
    });
    admin = bearer((await h.bootstrap('hooks')).key.secret as string);
    other = bearer((await h.bootstrap('other-hooks')).key.secret as string);
    notifierConnection = await connect(h.nats.settings('notifier'));
    notifier = new NatsJsonClient(notifierConnection);
  });
  afterAll(async () => {
    await notifierConnection.drain();
    await h.stop();
  });

  const register = (auth: string, body: object, idempotencyKey?: string) =>
    h.client.request<WebhookEndpointCreatedReply>(S.registerWebhookEndpoint, body, {
      authorization: auth,
      idempotencyKey,
    });
  const change = (subject: string, auth: string, body: object) =>
    h.client.request<WebhookEndpointView>(subject, body, { authorization: auth });
  const disableFailing = (body: object, operatorToken?: string) =>
    notifier.request<WebhookEndpointView>(S.disableFailingWebhookEndpoint, body, { operatorToken });
  const failing = (endpointId: string, orgId = 'hooks') => ({
    orgId,
    endpointId,
    failingSince: '2026-12-02T10:00:00.000Z',
    lastError: 'HTTP 503 Service Unavailable',
  });

  /** Every event in the store, read raw (what is on disk is what is checked). */
  async function storedEvents(): Promise<StoredEvent[]> {
    const jsm = await h.operator.jetstreamManager();
    const { state } = await jsm.streams.info(h.streamName);
    const events: StoredEvent[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(h.streamName, { seq });
      events.push(...(JSON.parse(new TextDecoder().decode(message.data)) as StoredEvent[]));
    }
    return events;
  }
  const eventsOf = async (endpointId: string) =>
    (await storedEvents()).filter((event) => event.data.endpointId === endpointId);

  async function memberKey(userId: string, orgRole: 'admin' | 'member') {
    await h.client.request<MemberReply>(
      S.addMember,
      { userId, displayName: userId, orgRole, grants: [{ resource: '*', role: 'admin' }] },
      { authorization: admin },
    );
    const key = await h.client.request<IssuedKeyReply>(
      S.issuePersonalKey,
      { userId },
      { authorization: admin },
    );
    return bearer(key.secret as string);
  }

  describe('register', () => {
    it('answers the view and the secret once; the store keeps it only sealed', async () => {
      const before = Math.floor(Date.now() / 1000);
      const reply = await register(admin, {
        url: 'https://93.184.216.34:8443/hooks/keyward?source=kw',
        description: 'deploy bot',
        eventTypes: ['key.revoked', 'key.*', 'key.revoked', 'webhook.endpoint_disabled'],
      });
      expect(reply).toEqual({
        id: expect.stringMatching(/^whe_[0-9a-f]{32}$/),
        url: 'https://93.184.216.34:8443/hooks/keyward?source=kw',
        description: 'deploy bot',
        eventTypes: ['key.revoked', 'key.*', 'webhook.endpoint_disabled'],
        status: 'enabled',
        disabledReason: null,
        createdAt: expect.any(Number),
        updatedAt: expect.any(Number),
        failingSince: null,
        lastDeliveryAt: null,
        lastDeliveryStatus: null,
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      });
      expect(reply.createdAt).toBeGreaterThanOrEqual(before);
      expect(reply.updatedAt).toBe(reply.createdAt);

      const [registered] = await eventsOf(reply.id);
      expect(registered.type).toBe('WebhookEndpointRegistered');
      expect(registered.metadata.actor).toEqual({ kind: 'member', id: 'admin' });
      const sealed = registered.data.sealedSecret as string;
      expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\./);
      const everything = JSON.stringify(await storedEvents());
      expect(everything).not.toContain(reply.secret);
      expect(everything).not.toContain(reply.secret.slice(6, 30));
      // The sealed copy is the secret shown, under the deployment key and this endpoint only.
      expect(secretBox(SECRET_KEY).open(sealed, reply.id)).toBe(reply.secret);
      expect(() => secretBox(SECRET_KEY).open(sealed, `whe_${'0'.repeat(32)}`)).toThrow();
      // And it signs as Standard Webhooks receivers check.
      const signature = signWebhook(reply.secret, 'msg_1', 1_800_000_000, '{}');
      expect(
        verifyWebhookSignature(
          reply.secret,
          { id: 'msg_1', timestamp: '1800000000', signature },
          '{}',
          { nowSeconds: 1_800_000_000 },
        ),
      ).toBe(true);
    });

    it('defaults: no description, every event type; the URL is stored normalized', async () => {
      const reply = await register(admin, { url: 'HTTPS://93.184.216.34/a/../hook' });
      expect(reply).toMatchObject({
        url: 'https://93.184.216.34/hook',
        description: '',
        eventTypes: null,
      });
      const explicit = await register(admin, { url: PUBLIC_URL, eventTypes: null });
      expect(explicit.eventTypes).toBeNull();
    });

    it('accepts a name that does not resolve (yet), and loopback inside the allowed networks', async () => {
      await expect(
        register(admin, { url: 'https://hooks.webhooks.invalid/x' }),
      ).resolves.toMatchObject({
        url: 'https://hooks.webhooks.invalid/x',
      });
      await expect(register(admin, { url: 'http://0x7f.1:9000/hook' })).resolves.toMatchObject({
        url: 'http://127.0.0.1:9000/hook',
      });
    });

    it('a retry with the same Idempotency-Key is the same endpoint and the same secret', async () => {
      const first = await register(admin, { url: PUBLIC_URL }, 'register-once');
      const count = await h.storedMessages();
      const again = await register(admin, { url: PUBLIC_URL }, 'register-once');
      expect(again).toEqual(first);
      expect(await h.storedMessages()).toBe(count);
      await expectReplyError(
        register(admin, { url: `${PUBLIC_URL}/other` }, 'register-once'),
        'IDEMPOTENCY.KEY_REUSED',
      );
    });
  });

  describe('refusals write nothing', () => {
    let count: number;
    beforeEach(async () => {
      count = await h.storedMessages();
    });
    afterEach(async () => {
      expect(await h.storedMessages()).toBe(count);
    });

    it('a member without the org admin role (even with admin on *) is forbidden', async () => {
      const member = await memberKey('dev', 'member');
      count = await h.storedMessages();
      const error = await expectReplyError(register(member, { url: PUBLIC_URL }), 'AUTH.FORBIDDEN');
      expect(error.kind).toBe('forbidden');
      expect(error.message).toMatch(/not an organization admin/);
    });

    it('a service account whose role has admin is forbidden', async () => {
      const account = await h.client.request<ServiceAccountReply>(
        S.createServiceAccount,
        { name: 'ops-bot', role: 'admin', resources: ['*'] },
        { authorization: admin },
      );
      const key = await h.client.request<IssuedKeyReply>(
        S.issueServiceAccountKey,
        { id: account.id },
        { authorization: admin },
      );
      count = await h.storedMessages();
      await expectReplyError(
        register(bearer(key.secret as string), { url: PUBLIC_URL }),
        'AUTH.FORBIDDEN',
      );
    });

    it.each([
      ['ftp://93.184.216.34/', /scheme must be https/],
      ['https://user:pass@93.184.216.34/', /user name or password/],
      ['https://93.184.216.34/#frag', /fragment/],
      ['not a url', /spaces|absolute URL/],
      [`https://93.184.216.34/${'a'.repeat(2100)}`, /at most 2048/],
    ])('%s is not a valid URL', async (url, message) => {
      const error = await expectReplyError(register(admin, { url }), 'WEBHOOK.INVALID_URL');
      expect(error.kind).toBe('invalid');
      expect(error.message).toMatch(message);
      expect(error.details).toEqual({ field: 'url' });
    });

    it.each([
      ['https://10.0.0.5/hook', /10\.0\.0\.5 is a private address/],
      ['https://169.254.169.254/latest/meta-data', /cloud metadata/],
      ['https://[::ffff:192.168.1.1]/', /IPv4-mapped address of 192\.168\.1\.1, a private/],
      ['https://100.64.0.1/', /carrier-grade NAT/],
      ['http://93.184.216.34/hook', /http: is only allowed to a loopback host/],
      ['https://[::1]/hook', /::1 is a loopback address/],
    ])('%s is not allowed', async (url, message) => {
      const error = await expectReplyError(register(admin, { url }), 'WEBHOOK.URL_NOT_ALLOWED');
      expect(error.kind).toBe('invalid');
      expect(error.message).toMatch(message);
    });

    it.each([
      [['key.teleported'], /"key\.teleported" is not a notification type/],
      [[], /at least one/],
      [Array.from({ length: 51 }, () => 'key.revoked'), /at most 50/],
      ['key.revoked', /null or a list/],
      [[7], /7 is not a notification type/],
      [['key.'], /not a notification type/],
    ])('eventTypes %j is not a filter', async (eventTypes, message) => {
      const error = await expectReplyError(
        register(admin, { url: PUBLIC_URL, eventTypes }),
        'WEBHOOK.INVALID_FILTER',
      );
      expect(error.message).toMatch(message);
      expect(error.details).toEqual({ field: 'eventTypes' });
    });

    it('bad fields are refused with the field named', async () => {
      const cases: [object, string][] = [
        [{ url: PUBLIC_URL, description: 'x'.repeat(501) }, 'description'],
        [{ url: PUBLIC_URL, description: null }, 'description'],
        [{ url: PUBLIC_URL, description: 'a\u202eb' }, 'description'],
        [{ url: 7 }, 'url'],
        [{}, 'url'],
        [{ url: PUBLIC_URL, secret: 'whsec_mine' }, 'secret'],
      ];
      for (const [body, field] of cases) {
        const error = await expectReplyError(register(admin, body), 'VALIDATION.FAILED');
        expect(error.fields?.map((f) => f.field)).toContain(field);
      }
    });

    it("another org's endpoint is not found, for every change", async () => {
      const mine = await register(admin, { url: PUBLIC_URL });
      count = await h.storedMessages();
      for (const subject of [
        S.updateWebhookEndpoint,
        S.disableWebhookEndpoint,
        S.enableWebhookEndpoint,
        S.deleteWebhookEndpoint,
      ]) {
        const body = { endpointId: mine.id, description: 'x' };
        const payload = subject === S.updateWebhookEndpoint ? body : { endpointId: mine.id };
        const error = await expectReplyError(change(subject, other, payload), 'WEBHOOK.NOT_FOUND');
        expect(error.kind).toBe('not_found');
      }
      await expectReplyError(
        change(S.disableWebhookEndpoint, admin, { endpointId: `whe_${'a'.repeat(32)}` }),
        'WEBHOOK.NOT_FOUND',
      );
      await expectReplyError(
        change(S.disableWebhookEndpoint, admin, { endpointId: 'whe_nope' }),
        'VALIDATION.FAILED',
      );
    });
  });

  describe('update, disable, enable, delete', () => {
    it('update records only what changed; an update that changes nothing appends nothing', async () => {
      const created = await register(admin, { url: PUBLIC_URL, description: 'a' });
      const updated = await change(S.updateWebhookEndpoint, admin, {
        endpointId: created.id,
        url: 'https://93.184.216.34/v2',
        description: 'a',
        eventTypes: ['member.*', 'member.*'],
      });
      expect(updated).toMatchObject({
        id: created.id,
        url: 'https://93.184.216.34/v2',
        description: 'a',
        eventTypes: ['member.*'],
        status: 'enabled',
        createdAt: created.createdAt,
      });
      expect(updated).not.toHaveProperty('secret');
      const events = await eventsOf(created.id);
      expect(events.map((e) => e.type)).toEqual([
        'WebhookEndpointRegistered',
        'WebhookEndpointUpdated',
      ]);
      expect(events[1].data).toEqual({
        orgId: 'hooks',
        endpointId: created.id,
        url: 'https://93.184.216.34/v2',
        eventTypes: ['member.*'],
      });

      const count = await h.storedMessages();
      const same = await change(S.updateWebhookEndpoint, admin, {
        endpointId: created.id,
        url: 'https://93.184.216.34/v2',
        eventTypes: ['member.*'],
      });
      expect(same).toEqual(updated);
      await change(S.updateWebhookEndpoint, admin, { endpointId: created.id });
      expect(await h.storedMessages()).toBe(count);

      await expectReplyError(
        change(S.updateWebhookEndpoint, admin, {
          endpointId: created.id,
          url: 'https://10.1.2.3/',
        }),
        'WEBHOOK.URL_NOT_ALLOWED',
      );
      const member = await memberKey('dev2', 'member');
      await expectReplyError(
        change(S.updateWebhookEndpoint, member, { endpointId: created.id, description: 'x' }),
        'AUTH.FORBIDDEN',
      );
    });

    it('disable and enable; each again is a no-op that answers the current view', async () => {
      const { id } = await register(admin, { url: PUBLIC_URL });
      const disabled = await change(S.disableWebhookEndpoint, admin, { endpointId: id });
      expect(disabled).toMatchObject({ id, status: 'disabled', disabledReason: 'manual' });
      let count = await h.storedMessages();
      expect(await change(S.disableWebhookEndpoint, admin, { endpointId: id })).toEqual(disabled);
      expect(await h.storedMessages()).toBe(count);

      const enabled = await change(S.enableWebhookEndpoint, admin, { endpointId: id });
      expect(enabled).toMatchObject({ id, status: 'enabled', disabledReason: null });
      count = await h.storedMessages();
      expect(await change(S.enableWebhookEndpoint, admin, { endpointId: id })).toEqual(enabled);
      expect(await h.storedMessages()).toBe(count);
      expect((await eventsOf(id)).map((e) => [e.type, e.data.reason])).toEqual([
        ['WebhookEndpointRegistered', undefined],
        ['WebhookEndpointDisabled', 'manual'],
        ['WebhookEndpointEnabled', undefined],
      ]);
    });

    it('delete answers {}; the endpoint is then not found, to every command', async () => {
      const { id } = await register(admin, { url: PUBLIC_URL });
      await change(S.disableWebhookEndpoint, admin, { endpointId: id });
      expect(await change(S.deleteWebhookEndpoint, admin, { endpointId: id })).toEqual({});
      for (const subject of [
        S.deleteWebhookEndpoint,
        S.enableWebhookEndpoint,
        S.disableWebhookEndpoint,
        S.updateWebhookEndpoint,
      ]) {
        await expectReplyError(change(subject, admin, { endpointId: id }), 'WEBHOOK.NOT_FOUND');
      }
      await expectReplyError(disableFailing(failing(id), h.operatorToken), 'WEBHOOK.NOT_FOUND');
    });
  });

  describe('disable-failing (the notifier, with the operator token)', () => {
    it('is refused without the operator token, or with a wrong one', async () => {
      const { id } = await register(admin, { url: PUBLIC_URL });
      const count = await h.storedMessages();
      await expectReplyError(disableFailing(failing(id)), 'AUTH.INVALID_OPERATOR_TOKEN');
      await expectReplyError(
        disableFailing(failing(id), 'not-the-token'),
        'AUTH.INVALID_OPERATOR_TOKEN',
      );
      expect(await h.storedMessages()).toBe(count);
    });

    it('disables as failing, recorded as system; again is a no-op', async () => {
      const { id } = await register(admin, { url: PUBLIC_URL });
      const view = await disableFailing(
        { ...failing(id), lastError: `connect ECONNREFUSED ${'x'.repeat(600)}` },
        h.operatorToken,
      );
      expect(view).toMatchObject({ id, status: 'disabled', disabledReason: 'failing' });
      const [, disabled] = await eventsOf(id);
      expect(disabled.type).toBe('WebhookEndpointDisabled');
      expect(disabled.metadata.actor).toEqual({ kind: 'system' });
      expect(disabled.data).toMatchObject({
        reason: 'failing',
        failingSince: '2026-12-02T10:00:00.000Z',
      });
      expect(disabled.data.lastError).toHaveLength(500);

      const count = await h.storedMessages();
      await expect(disableFailing(failing(id), h.operatorToken)).resolves.toEqual(view);
      await expect(change(S.disableWebhookEndpoint, admin, { endpointId: id })).resolves.toEqual(
        view,
      );
      expect(await h.storedMessages()).toBe(count);
      // An admin turns it back on.
      await expect(
        change(S.enableWebhookEndpoint, admin, { endpointId: id }),
      ).resolves.toMatchObject({ status: 'enabled', disabledReason: null });
    });

    it("does not find another org's endpoint, and checks its fields", async () => {
      const { id } = await register(admin, { url: PUBLIC_URL });
      await expectReplyError(
        disableFailing(failing(id, 'other-hooks'), h.operatorToken),
        'WEBHOOK.NOT_FOUND',
      );
      const error = await expectReplyError(
        disableFailing({ ...failing(id), failingSince: 'yesterday' }, h.operatorToken),
        'VALIDATION.FAILED',
      );
      expect(error.fields?.map((f) => f.field)).toEqual(['failingSince']);
    });
  });
});

describe('webhook endpoints without KEYWARD_WEBHOOK_SECRET_KEY', () => {
  let h: CommandServiceHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startWith({});
    admin = bearer((await h.bootstrap('unkeyed')).key.secret as string);
  });
  afterAll(() => h.stop());

  it('the service runs, and registering answers 503 naming the variable', async () => {
    const error = await expectReplyError(
      h.client.request(S.registerWebhookEndpoint, { url: PUBLIC_URL }, { authorization: admin }),
      'WEBHOOK.NOT_CONFIGURED',
    );
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/KEYWARD_WEBHOOK_SECRET_KEY/);
  });
});
