import {
  COMMAND_SUBJECTS as S,
  REQUEST_BODY_LIMITS,
  VERIFY_LIMITS,
  VERIFY_SUBJECTS as V,
  type AuthorizeReply,
  type IssuedKeyReply,
  type Reply,
  type RevocationReply,
  type ServiceAccountReply,
  type VerifyReply,
} from '@keyward/messaging';
import { generateApiKey } from '@keyward/keys';
import {
  startCommandService,
  type CommandServiceHarness,
} from '../../command/test/command-service.harness';
import { bearer } from '../../command/test/expect-reply-error';
import { startVerifier, type InProcessVerifier } from './verifier.harness';

describe('verify and authorize answered by a verifier node', () => {
  let h: CommandServiceHarness;
  let verifier: InProcessVerifier;
  let admin: string;

  beforeAll(async () => {
    h = await startCommandService();
    verifier = await startVerifier(h.nats);
    admin = bearer((await h.bootstrap('verify-org')).key.secret as string);
  });
  afterAll(async () => {
    await verifier.stop();
    await h.stop();
  });

  const account = (name: string) =>
    h.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name, role: 'writer', resources: ['db:a'] },
      { authorization: admin },
    );
  const issue = (id: string) =>
    h.client.request<IssuedKeyReply>(S.issueServiceAccountKey, { id }, { authorization: admin });
  const verify = (authorization: string) =>
    h.client.request<VerifyReply>(V.verify, { authorization });

  it('answers valid with the principal, role, permissions and resources', async () => {
    const sa = await account('verified');
    const key = await issue(sa.id);
    await expect(verify(bearer(key.secret as string))).resolves.toEqual({
      valid: true,
      principal: { kind: 'serviceAccount', id: sa.id },
      orgId: 'verify-org',
      orgAdmin: false,
      role: 'writer',
      permissions: ['read', 'execute', 'write', 'delete'],
      resources: ['db:a'],
      grants: [{ resource: 'db:a', permissions: ['read', 'execute', 'write', 'delete'] }],
      keyId: key.keyId,
      expiresAt: null,
      position: expect.stringMatching(/^\d+$/),
    });
  });

  it('gives each refusal its reason', async () => {
    const sa = await account('refusals');
    const revoked = await issue(sa.id);
    const deleted = await issue(sa.id);
    await h.client.request(
      S.revokeServiceAccountKey,
      { id: sa.id, keyId: revoked.keyId },
      { authorization: admin },
    );
    const position = expect.stringMatching(/^\d+$/);
    expect(await verify('Bearer nope')).toEqual({ valid: false, reason: 'malformed', position });
    expect(await verify('kw_live_0000000000000000000000000000000000000000000000')).toEqual({
      valid: false,
      reason: 'malformed',
      position,
    });
    expect(await verify(bearer(generateApiKey().secret))).toEqual({
      valid: false,
      reason: 'unknown',
      position,
    });
    expect(await verify(bearer(revoked.secret as string))).toEqual({
      valid: false,
      reason: 'revoked',
      position,
    });
    const deletion = await h.client.request<RevocationReply>(
      S.deleteServiceAccount,
      { id: sa.id },
      { authorization: admin },
    );
    const answer = await verify(bearer(deleted.secret as string));
    expect(answer).toEqual({ valid: false, reason: 'account_deleted', position });
    // Decided at or after the deletion, which the reply said every live node has applied.
    expect(BigInt(answer.position!)).toBeGreaterThanOrEqual(BigInt(deletion.position!));
  });

  it('authorizes by resource and permission', async () => {
    const key = await issue((await account('authorizer')).id);
    const authorize = (resource: string, permission: string) =>
      h.client.request<AuthorizeReply>(V.authorize, { key: key.secret, resource, permission });
    expect(await authorize('db:a', 'write')).toMatchObject({ valid: true, allowed: true });
    expect(await authorize('db:a', 'admin')).toMatchObject({ valid: true, allowed: false });
    expect(await authorize('db:b', 'read')).toMatchObject({ valid: true, allowed: false });
    const bad = await h.client.reply(V.authorize, {
      key: key.secret,
      resource: 'db a',
      permission: 'fly',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED', kind: 'invalid' } });
    expect(bad.ok ? [] : bad.error.fields?.map((f) => f.field)).toEqual(['resource', 'permission']);
  });

  describe('bad bodies get the codes every other subject uses', () => {
    let secret: string;
    beforeAll(async () => {
      secret = (await issue((await account('strict-bodies')).id)).secret as string;
    });

    const raw = async (subject: string, body: string): Promise<Reply<unknown>> => {
      const reply = await h.connection.request(subject, new TextEncoder().encode(body), {
        timeout: 5000,
      });
      return JSON.parse(new TextDecoder().decode(reply.data)) as Reply<unknown>;
    };
    /** The same body on verify, and on authorize with a good resource and permission added. */
    const both = async (body: string) => {
      const parsed = (() => {
        try {
          return JSON.parse(body) as unknown;
        } catch {
          return undefined;
        }
      })();
      const plain = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
      const authorizeBody = plain
        ? body.replace(/^\{/, '{"resource":"db:a","permission":"read"' + (body === '{}' ? '' : ','))
        : body;
      return [await raw(V.verify, body), await raw(V.authorize, authorizeBody)];
    };
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);

    it.each([
      ['no credential', '{}', 'VALIDATION.FAILED', ['authorization']],
      ['a number as key', '{"key":5}', 'VALIDATION.FAILED', ['key']],
      ['null as authorization', '{"authorization":null}', 'VALIDATION.FAILED', ['authorization']],
      ['an unknown field', '{"authorization":"x","extra":1}', 'VALIDATION.FAILED', ['extra']],
      ['both credentials', '{"authorization":"x","key":"y"}', 'VALIDATION.FAILED', ['key']],
      [
        'an overlong credential',
        JSON.stringify({ key: 'k'.repeat(VERIFY_LIMITS.maxCredentialLength + 1) }),
        'VALIDATION.FAILED',
        ['key'],
      ],
      [
        'a prototype key',
        '{"key":"x","__proto__":{"valid":true}}',
        'VALIDATION.FAILED',
        ['__proto__'],
      ],
      [
        'a nested prototype key',
        '{"key":"x","a":{"constructor":1}}',
        'VALIDATION.FAILED',
        ['a.constructor'],
      ],
      ['a body nested 5,000 deep', deep, 'VALIDATION.FAILED', ['(body)']],
      ['not JSON', '{"key": ', 'REQUEST.MALFORMED_JSON', undefined],
      ['an empty payload', '', 'REQUEST.MALFORMED_JSON', undefined],
      ['a JSON array', '[1]', 'REQUEST.NOT_AN_OBJECT', undefined],
      ['a JSON string', '"kw_live_x"', 'REQUEST.NOT_AN_OBJECT', undefined],
      [
        'a body over 64 KiB',
        JSON.stringify({ key: 'k'.repeat(REQUEST_BODY_LIMITS.maxBytes) }),
        'REQUEST.TOO_LARGE',
        undefined,
      ],
    ])('refuses %s', async (_what, body, code, fields) => {
      for (const reply of await both(body)) {
        expect(reply).toMatchObject({ ok: false, error: { code } });
        if (reply.ok) continue;
        expect(reply.error.kind).toBe(code === 'REQUEST.TOO_LARGE' ? 'too_large' : 'invalid');
        expect(reply.error.fields?.map((f) => f.field)).toEqual(fields);
      }
    });

    it('names each unknown field the way the DTOs do, and asks for a credential', async () => {
      expect(await raw(V.verify, '{"foo":1}')).toEqual({
        ok: false,
        error: {
          code: 'VALIDATION.FAILED',
          kind: 'invalid',
          message:
            'invalid request: authorization: one of authorization or key is required; foo: property foo should not exist',
          fields: [
            { field: 'authorization', message: 'one of authorization or key is required' },
            { field: 'foo', message: 'property foo should not exist' },
          ],
        },
      });
      // resource and permission belong to authorize only.
      const verifyWithResource = await raw(V.verify, `{"key":"${secret}","resource":"db:a"}`);
      expect(verifyWithResource).toMatchObject({
        ok: false,
        error: { fields: [{ field: 'resource', message: 'property resource should not exist' }] },
      });
    });

    it('still answers a string that is not a key with valid: false, reason: malformed', async () => {
      const [verified, authorized] = await both('{"key":"garbage"}');
      // Rejected before any lookup, yet stamped with the node's applied position like any answer.
      const position = expect.stringMatching(/^\d+$/);
      expect(verified).toEqual({ ok: true, data: { valid: false, reason: 'malformed', position } });
      expect(authorized).toEqual({
        ok: true,
        data: { valid: false, allowed: false, reason: 'malformed', position },
      });
      expect(await raw(V.verify, '{"authorization":""}')).toEqual({
        ok: true,
        data: { valid: false, reason: 'malformed', position },
      });
    });

    it('still verifies a real key, by key or by authorization', async () => {
      for (const body of [{ key: secret }, { authorization: bearer(secret) }]) {
        const [verified, authorized] = await both(JSON.stringify(body));
        expect(verified).toMatchObject({ ok: true, data: { valid: true } });
        expect(authorized).toMatchObject({ ok: true, data: { valid: true, allowed: true } });
      }
    });
  });
});
