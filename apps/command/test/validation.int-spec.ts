import { headers as natsHeaders } from 'nats';
import { COMMAND_SUBJECTS as S, HEADERS, type Reply } from '@keyward/messaging';
import { startCommandService, type CommandServiceHarness } from './command-service.harness';
import { bearer } from './expect-reply-error';

describe('bad input over NATS: a stable code, field messages, nothing written', () => {
  let h: CommandServiceHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startCommandService();
    admin = bearer((await h.bootstrap('strict')).key.secret as string);
  });
  afterAll(() => h.stop());

  const raw = async (
    subject: string,
    body: string,
    authorization = admin,
  ): Promise<Reply<unknown>> => {
    const headers = natsHeaders();
    headers.set(HEADERS.authorization, authorization);
    const reply = await h.connection.request(subject, new TextEncoder().encode(body), {
      timeout: 5000,
      headers,
    });
    return JSON.parse(new TextDecoder().decode(reply.data)) as Reply<unknown>;
  };
  const storedEvents = async () =>
    (await h.connection.jetstreamManager()).streams.info(h.streamName);

  it.each([
    ['bad JSON', S.createServiceAccount, '{"name": ', 'REQUEST.MALFORMED_JSON'],
    ['a JSON array', S.createServiceAccount, '[1,2]', 'REQUEST.NOT_AN_OBJECT'],
    ['a JSON string', S.createServiceAccount, '"hello"', 'REQUEST.NOT_AN_OBJECT'],
    ['a missing field', S.createServiceAccount, '{}', 'VALIDATION.FAILED'],
    ['a wrong type', S.createServiceAccount, '{"name": 42}', 'VALIDATION.FAILED'],
    [
      'an unknown field',
      S.createServiceAccount,
      '{"name": "a", "admin": true}',
      'VALIDATION.FAILED',
    ],
    [
      'an oversize string',
      S.createServiceAccount,
      JSON.stringify({ name: 'n'.repeat(101) }),
      'VALIDATION.FAILED',
    ],
    ['a blank name', S.createServiceAccount, '{"name": "   "}', 'VALIDATION.FAILED'],
    [
      'a bad resource id',
      S.createServiceAccount,
      '{"name": "a", "resources": ["db a"]}',
      'VALIDATION.FAILED',
    ],
    ['a bad account id', S.issueServiceAccountKey, '{"id": "../etc"}', 'VALIDATION.FAILED'],
    [
      'a bad key id',
      S.revokeServiceAccountKey,
      '{"id": "sa_00000000000000000000000000000000", "keyId": 7}',
      'VALIDATION.FAILED',
    ],
    [
      'a non-integer expiry',
      S.issueServiceAccountKey,
      '{"id": "sa_00000000000000000000000000000000", "expiresAt": "soon"}',
      'VALIDATION.FAILED',
    ],
    [
      'an unknown role',
      S.createServiceAccount,
      '{"name": "a", "role": "superuser"}',
      'ROLE.UNKNOWN',
    ],
    [
      'an unknown permission',
      S.defineRole,
      '{"name": "r", "permissions": ["fly"]}',
      'VALIDATION.FAILED',
    ],
  ])('refuses %s', async (_what, subject, body, code) => {
    const before = (await storedEvents()).state.messages;
    const reply = await raw(subject, body);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe(code);
    if (code === 'VALIDATION.FAILED') expect(reply.error.fields?.length).toBeGreaterThan(0);
    expect((await storedEvents()).state.messages).toBe(before);
  });

  it.each([
    ['no credential', '', 'AUTH.MISSING_CREDENTIAL'],
    ['a string that is not a key', 'Bearer hello', 'AUTH.INVALID_CREDENTIAL'],
    [
      'a well-formed unknown key',
      'Bearer kw_live_0000000000000000000000000000000000000000000000',
      'AUTH.INVALID_CREDENTIAL',
    ],
  ])('refuses %s with 401-kind errors', async (_what, authorization, code) => {
    const reply = await raw(S.createServiceAccount, '{"name": "a"}', authorization);
    expect(reply).toMatchObject({ ok: false, error: { code, kind: 'unauthenticated' } });
  });

  it('refuses bootstrap without the operator token, and with a wrong one', async () => {
    const body = { name: 'x', admin: { userId: 'a', displayName: 'A' } };
    const none = await h.client.reply(S.bootstrapOrganization, body);
    const wrong = await h.client.reply(S.bootstrapOrganization, body, { operatorToken: 'nope' });
    for (const reply of [none, wrong]) {
      expect(reply).toMatchObject({ ok: false, error: { code: 'AUTH.INVALID_OPERATOR_TOKEN' } });
    }
  });

  it('refuses to bootstrap an organization twice', async () => {
    const reply = await h.client.reply(
      S.bootstrapOrganization,
      { orgId: 'strict', name: 'again', admin: { userId: 'b', displayName: 'B' } },
      { operatorToken: h.operatorToken },
    );
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'ORGANIZATION.ALREADY_EXISTS', kind: 'conflict' },
    });
  });

  it('survives a flood of garbage and still answers', async () => {
    const garbage = Array.from({ length: 200 }, (_, i) =>
      raw(S.createServiceAccount, '\u0000'.repeat(i)),
    );
    const replies = await Promise.all(garbage);
    expect(replies.every((r) => !r.ok)).toBe(true);
    const ok = await raw(S.createServiceAccount, '{"name": "still-alive"}');
    expect(ok.ok).toBe(true);
  });
});
