import { Logger } from '@nestjs/common';
import { headers as natsHeaders } from 'nats';
import {
  COMMAND_SUBJECTS as S,
  HEADERS,
  HEALTH_SUBJECTS,
  REQUEST_BODY_LIMITS,
  type IssuedKeyReply,
  type Reply,
} from '@keyward/messaging';
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
  const storedEvents = async () => (await h.operator.jetstreamManager()).streams.info(h.streamName);

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

  const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  describe('the edge bounds every body before anything reads it', () => {
    it.each([
      S.createServiceAccount,
      S.revokeAllPersonalKeys,
      S.revokeAllServiceAccountKeys,
      S.setOrganizationPolicy,
      S.bootstrapOrganization,
    ])('refuses a body nested 5,000 deep on %s as VALIDATION.FAILED', async (subject) => {
      const before = (await storedEvents()).state.messages;
      const reply = await raw(subject, deep(5000));
      expect(reply).toEqual({
        ok: false,
        error: {
          code: 'VALIDATION.FAILED',
          kind: 'invalid',
          message: 'invalid request: (body): nested deeper than 8 levels',
          fields: [{ field: '(body)', message: 'nested deeper than 8 levels' }],
        },
      });
      expect((await storedEvents()).state.messages).toBe(before);
    });

    it('logs a refused body as one warning line, never as an internal error with a stack', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      const error = jest.spyOn(Logger.prototype, 'error');
      try {
        await raw(S.createServiceAccount, deep(5000));
        expect(error).not.toHaveBeenCalled();
        expect(warn).toHaveBeenCalledTimes(1);
        const [line] = warn.mock.calls[0] as [string];
        expect(line).toBe(`refused a request body on ${S.createServiceAccount}: VALIDATION.FAILED`);
      } finally {
        warn.mockRestore();
        error.mockRestore();
      }
    });

    it('accepts a body 8 levels deep (the limit) and reads it as usual', async () => {
      const reply = await raw(S.createServiceAccount, `{"name":${deep(7)}}`);
      expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
      const fields = reply.ok ? [] : reply.error.fields?.map((f) => f.field);
      expect(fields).toContain('name');
      expect(fields).not.toContain('(body)');
    });

    it.each([
      ['__proto__', '{"name":"a","__proto__":{"admin":true}}', '__proto__'],
      ['constructor', '{"name":"a","constructor":{"prototype":{"admin":true}}}', 'constructor'],
      ['prototype', '{"name":"a","prototype":{"admin":true}}', 'prototype'],
      [
        'a nested __proto__',
        '{"name":"a","resources":[{"__proto__":{"admin":true}}]}',
        'resources.0.__proto__',
      ],
    ])('refuses %s like any unknown field, and writes nothing', async (_what, body, field) => {
      const before = (await storedEvents()).state.messages;
      const reply = await raw(S.createServiceAccount, body);
      expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
      expect(reply.ok ? [] : reply.error.fields).toEqual([
        { field, message: `property ${field.split('.').pop()} should not exist` },
      ]);
      expect((await storedEvents()).state.messages).toBe(before);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it.each([S.revokeAllServiceAccountKeys, S.createServiceAccount, S.setOrganizationPolicy])(
      'refuses an empty payload on %s as REQUEST.MALFORMED_JSON',
      async (subject) => {
        const before = (await storedEvents()).state.messages;
        const reply = await raw(subject, '');
        expect(reply).toEqual({
          ok: false,
          error: {
            code: 'REQUEST.MALFORMED_JSON',
            kind: 'invalid',
            message: 'request body is empty; send a JSON object',
          },
        });
        expect((await storedEvents()).state.messages).toBe(before);
      },
    );

    it('never reads an empty payload as {}: revoke-all-keys revokes nothing', async () => {
      const owner = bearer((await h.bootstrap('hollow')).key.secret as string);
      const personal = await h.client.request<IssuedKeyReply>(
        S.issuePersonalKey,
        { name: 'laptop' },
        { authorization: owner },
      );
      const before = (await storedEvents()).state.messages;
      const reply = await raw(S.revokeAllPersonalKeys, '', owner);
      expect(reply).toMatchObject({ ok: false, error: { code: 'REQUEST.MALFORMED_JSON' } });
      expect((await storedEvents()).state.messages).toBe(before);
      // Both keys still work.
      for (const key of [owner, bearer(personal.secret as string)]) {
        const still = await raw(S.createServiceAccount, '{"name":"still-here"}', key);
        expect(still.ok ? 'ok' : still.error.code).not.toMatch(/^AUTH\./);
      }
    });

    it('still answers the health subject, which documents an empty body', async () => {
      const reply = await raw(HEALTH_SUBJECTS.command, '');
      expect(reply).toMatchObject({ ok: true, data: { service: 'command' } });
    });

    it('refuses a body over 64 KiB as REQUEST.TOO_LARGE (413)', async () => {
      const before = (await storedEvents()).state.messages;
      const body = JSON.stringify({
        name: 'a',
        description: 'x'.repeat(REQUEST_BODY_LIMITS.maxBytes),
      });
      const reply = await raw(S.createServiceAccount, body);
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'REQUEST.TOO_LARGE', kind: 'too_large' },
      });
      expect((await storedEvents()).state.messages).toBe(before);
    });
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
