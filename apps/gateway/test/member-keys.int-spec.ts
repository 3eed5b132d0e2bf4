import {
  startCommandService,
  startGatewayApp,
  type CommandServiceHarness,
  type GatewayApp,
} from './gateway-app.harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ME = '/api/me/v1/key';
const MEMBERS = '/api/member/v1/member';
const MISSING_KEY = 'key_00000000000000000000000000000000';

/**
 * Personal-key rotation (`POST /api/me/v1/key/{keyId}/rotate`, `POST …/member/{userId}/key/
 * {keyId}/rotate`) and an org admin's revocation of another member's keys (`DELETE …/member/
 * {userId}/key/{keyId}`, `POST …/member/{userId}/key/revoke-all`) on the real gateway app and the
 * real command service: the command decides, the gateway maps its answer and codes to HTTP.
 */
describe('personal key routes: rotate, and revoke another member’s keys', () => {
  let system: CommandServiceHarness;
  let gateway: GatewayApp;
  let admin: string;

  const call = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    key: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    gateway.fastify.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
  const refusal = async (
    response: Promise<{ statusCode: number; json: () => Json }>,
  ): Promise<[number, string]> => {
    const answered = await response;
    return [answered.statusCode, answered.json().code];
  };
  const addMember = async (userId: string) => {
    const added = await call('POST', MEMBERS, admin, {
      userId,
      displayName: userId,
      grants: [{ resource: 'db:orders', role: 'reader' }],
    });
    expect(added.statusCode).toBe(201);
  };
  const issueFor = async (userId: string): Promise<{ keyId: string; secret: string }> => {
    const issued = await call('POST', `${MEMBERS}/${userId}/key`, admin, {});
    expect(issued.statusCode).toBe(201);
    return issued.json();
  };
  /** A command that only authenticates its caller: 404 for a valid key, 401 otherwise. */
  const authenticates = async (secret: string) => {
    const probe = await call('POST', `${MEMBERS}/nobody-here/key/revoke-all`, secret, {});
    expect([401, 404]).toContain(probe.statusCode);
    return probe.statusCode === 404;
  };

  beforeAll(async () => {
    system = await startCommandService();
    gateway = await startGatewayApp(system.nats);
    admin = (await system.bootstrap('acme')).key.secret as string;
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await system?.stop();
  });

  it('rotates your own key: 201 with the successor’s secret once, the old key’s new expiry', async () => {
    await addMember('ana');
    const old = await issueFor('ana');
    const started = Math.floor(Date.now() / 1000);
    const rotated = await call(
      'POST',
      `${ME}/${old.keyId}/rotate`,
      old.secret,
      { graceSeconds: 600, name: 'laptop v2' },
      { 'idempotency-key': 'rotate-ana' },
    );
    expect(rotated.statusCode).toBe(201);
    const body = rotated.json();
    expect(Object.keys(body).sort()).toEqual(
      ['created', 'expiresAt', 'hint', 'keyId', 'previous', 'secret'].sort(),
    );
    expect(body.secret).toMatch(/^kw_live_/);
    expect(body.previous.keyId).toBe(old.keyId);
    expect(body.previous.expiresAt).toBeGreaterThanOrEqual(started + 600);
    expect(body.previous.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 600);
    expect(await authenticates(old.secret)).toBe(true);
    expect(await authenticates(body.secret)).toBe(true);

    // A retry answers as the first time, without the secret; the same key on another body is 422.
    const retried = await call(
      'POST',
      `${ME}/${old.keyId}/rotate`,
      old.secret,
      { graceSeconds: 600, name: 'laptop v2' },
      { 'idempotency-key': 'rotate-ana' },
    );
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toMatchObject({ keyId: body.keyId, replayed: true });
    expect(retried.json().secret).toBeUndefined();
    expect(
      await refusal(
        call(
          'POST',
          `${ME}/${old.keyId}/rotate`,
          old.secret,
          {},
          { 'idempotency-key': 'rotate-ana' },
        ),
      ),
    ).toEqual([422, 'IDEMPOTENCY.KEY_REUSED']);

    expect(await refusal(call('POST', `${ME}/${old.keyId}/rotate`, old.secret, {}))).toEqual([
      409,
      'KEY.ALREADY_ROTATED',
    ]);
    expect(await refusal(call('POST', `${ME}/${MISSING_KEY}/rotate`, old.secret))).toEqual([
      404,
      'KEY.NOT_FOUND',
    ]);
  });

  it('answers a bad rotation body with 400 naming the field; the path’s ids may not come in the body', async () => {
    await addMember('ben');
    const key = await issueFor('ben');
    const bad = await call('POST', `${ME}/${key.keyId}/rotate`, key.secret, { graceSeconds: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'VALIDATION.FAILED',
      details: [expect.objectContaining({ field: 'graceSeconds' })],
    });
    for (const [url, body] of [
      [`${ME}/${key.keyId}/rotate`, { keyId: key.keyId }],
      [`${MEMBERS}/ben/key/${key.keyId}/rotate`, { userId: 'ben' }],
    ] as const) {
      expect(await refusal(call('POST', url, admin, body))).toEqual([400, 'VALIDATION.FAILED']);
    }
    expect(await refusal(call('POST', `${ME}/key_nope/rotate`, key.secret))).toEqual([
      400,
      'VALIDATION.FAILED',
    ]);
    expect(await authenticates(key.secret)).toBe(true); // nothing was rotated
  });

  it('lets an org admin rotate a member’s key with a grace of 0, and refuses another member', async () => {
    await addMember('cy');
    await addMember('dee');
    const cys = await issueFor('cy');
    const dees = await issueFor('dee');
    expect(
      await refusal(call('POST', `${MEMBERS}/cy/key/${cys.keyId}/rotate`, dees.secret, {})),
    ).toEqual([403, 'AUTH.FORBIDDEN']);
    const rotated = await call('POST', `${MEMBERS}/cy/key/${cys.keyId}/rotate`, admin, {
      graceSeconds: 0,
    });
    expect(rotated.statusCode).toBe(201);
    expect(rotated.json().previous.keyId).toBe(cys.keyId);
    expect(await authenticates(cys.secret)).toBe(false);
    expect(await authenticates(rotated.json().secret)).toBe(true);
    expect(
      await refusal(call('POST', `${MEMBERS}/nobody/key/${cys.keyId}/rotate`, admin, {})),
    ).toEqual([404, 'MEMBER.NOT_FOUND']);
  });

  it('revokes one of a member’s keys for an org admin: 204 with X-Keyward-Position, the other key still works', async () => {
    await addMember('eli');
    const first = await issueFor('eli');
    const second = await issueFor('eli');
    expect(
      await refusal(call('DELETE', `${MEMBERS}/eli/key/${first.keyId}`, 'kw_live_not-a-key')),
    ).toEqual([401, expect.any(String)]);
    await addMember('fay');
    const fays = await issueFor('fay');
    expect(await refusal(call('DELETE', `${MEMBERS}/eli/key/${first.keyId}`, fays.secret))).toEqual(
      [403, 'AUTH.FORBIDDEN'],
    );
    expect(
      await refusal(call('DELETE', `${MEMBERS}/eli/key/${first.keyId}?reason=lost`, admin)),
    ).toEqual([400, 'VALIDATION.FAILED']);

    const revoked = await call('DELETE', `${MEMBERS}/eli/key/${first.keyId}?reason=leaked`, admin);
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe('');
    expect(revoked.headers['x-keyward-position']).toMatch(/^[0-9]+$/);
    expect(await authenticates(first.secret)).toBe(false);
    expect(await authenticates(second.secret)).toBe(true);
    // Revoking it again appends nothing and still answers 204.
    expect((await call('DELETE', `${MEMBERS}/eli/key/${first.keyId}`, admin)).statusCode).toBe(204);
    expect(await refusal(call('DELETE', `${MEMBERS}/nobody/key/${first.keyId}`, admin))).toEqual([
      404,
      'MEMBER.NOT_FOUND',
    ]);
  });

  it('revokes all of a member’s keys for an org admin: 200 {revokedKeyIds, position}; the member stays', async () => {
    await addMember('gus');
    const one = await issueFor('gus');
    const two = await issueFor('gus');
    const all = await call('POST', `${MEMBERS}/gus/key/revoke-all`, admin, {});
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({
      revokedKeyIds: expect.arrayContaining([one.keyId, two.keyId]),
      position: expect.stringMatching(/^[0-9]+$/),
    });
    expect(all.json().revokedKeyIds).toHaveLength(2);
    expect(await authenticates(one.secret)).toBe(false);
    expect(await authenticates(two.secret)).toBe(false);
    expect(await authenticates(admin)).toBe(true);
    // Still a member: the admin hands them a new key.
    expect(await authenticates((await issueFor('gus')).secret)).toBe(true);
    expect(
      await refusal(call('POST', `${MEMBERS}/gus/key/revoke-all`, admin, { reason: 'nope' })),
    ).toEqual([400, 'VALIDATION.FAILED']);
  });

  it('documents the new routes in /api/docs-json', async () => {
    const document = (
      await gateway.fastify.inject({ method: 'GET', url: '/api/docs-json' })
    ).json();
    const paths = document.paths as Json;
    const mine = paths[`${ME}/{keyId}/rotate`].post;
    const theirs = paths[`${MEMBERS}/{userId}/key/{keyId}/rotate`].post;
    for (const rotate of [mine, theirs]) {
      expect(rotate.responses['201'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/RotatedKeySchema',
      );
      expect(rotate.requestBody.content['application/json'].schema.$ref).toBe(
        '#/components/schemas/RotateKeyBody',
      );
      expect(Object.keys(rotate.responses)).toEqual(
        expect.arrayContaining(['201', '400', '401', '403', '404', '409', '413', '415', '422']),
      );
      expect(rotate.parameters.find((p: Json) => p.name === 'keyId').schema.pattern).toBe(
        '^key_[0-9a-f]{32}$',
      );
    }
    expect(mine.tags).toEqual(['personal keys']);
    expect(theirs.tags).toEqual(['members']);

    const revoke = paths[`${MEMBERS}/{userId}/key/{keyId}`].delete;
    expect(revoke.responses['204'].headers['X-Keyward-Position']).toBeDefined();
    expect(revoke.parameters.map((p: Json) => p.name)).toEqual(
      expect.arrayContaining(['userId', 'keyId', 'reason', 'orgId']),
    );
    const revokeAll = paths[`${MEMBERS}/{userId}/key/revoke-all`].post;
    expect(revokeAll.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/RevokedKeyIdsSchema',
    );
  });
});
