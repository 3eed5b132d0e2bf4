import { performance } from 'node:perf_hooks';
import {
  COMMAND_SUBJECTS as S,
  USAGE_STREAM,
  USAGE_SUBJECT_PREFIX,
  type IssuedKeyReply,
  type KeyUsageRollup,
  type RevocationReply,
  type ServiceAccountReply,
  type VerifyReply,
} from '@keyward/messaging';
import {
  startVerifierSystem,
  type VerifierSystem,
} from '../apps/auth-verifier/test/verifier-processes';

/*
 * The verifier as deployed: three node processes, a command-service process and nats-server.
 * VERIFIER_E2E_REVOCATIONS sets how many keys are revoked under load (the benchmark runs 1,000).
 */
const REVOCATIONS = Number(process.env.VERIFIER_E2E_REVOCATIONS ?? 200);
const STALENESS_MS = 1000;
const LOAD_WORKERS = 24;

jest.setTimeout(120_000);

describe('verifier nodes as separate processes', () => {
  let sys: VerifierSystem;

  beforeAll(async () => {
    sys = await startVerifierSystem(3, {
      VERIFIER_MAX_STALENESS_MS: String(STALENESS_MS),
      KEYWARD_USAGE_FLUSH_MS: '300',
    });
  });
  afterAll(() => sys?.stop());

  const createAccount = (name: string, enableBasicAuth = false) =>
    sys.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name, role: 'reader', resources: ['db:a'], enableBasicAuth },
      { authorization: sys.admin },
    );
  const issue = (id: string, expiresAt?: number) =>
    sys.client.request<IssuedKeyReply>(
      S.issueServiceAccountKey,
      { id, ...(expiresAt === undefined ? {} : { expiresAt }) },
      { authorization: sys.admin },
    );
  const revoke = (id: string, keyId: string) =>
    sys.client.request<RevocationReply>(
      S.revokeServiceAccountKey,
      { id, keyId },
      { authorization: sys.admin },
    );
  const bearer = (key: IssuedKeyReply) => `Bearer ${key.secret}`;
  const reasonOf = (reply: VerifyReply) => (reply.valid ? 'valid' : reply.reason);

  /** Until `check` holds; a request that finds no responder (a node reconnecting) is "not yet". */
  async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it(`G1: no key is accepted after its revoke replied (${REVOCATIONS} revocations under load)`, async () => {
    const account = await createAccount('g1-load');
    const keys: IssuedKeyReply[] = [];
    for (let i = 0; i < REVOCATIONS; i++) keys.push(await issue(account.id));
    const revokedAt = new Array<number>(REVOCATIONS).fill(Number.POSITIVE_INFINITY);
    let current = 0;
    let running = true;
    let verifications = 0;
    const violations: string[] = [];
    // Load concentrates on keys around the one being revoked, where a late verifier would show.
    const worker = async (seed: number) => {
      for (let n = seed; running; n++) {
        const index = Math.min(REVOCATIONS - 1, Math.max(0, current - 2 + (n % 5)));
        const sentAt = performance.now();
        const reply = await sys.verify(bearer(keys[index]));
        verifications += 1;
        if (reply.valid && sentAt > revokedAt[index]) {
          violations.push(
            `key ${index} accepted ${(sentAt - revokedAt[index]).toFixed(1)} ms after its revoke replied`,
          );
        }
      }
    };
    const load = Array.from({ length: LOAD_WORKERS }, (_, i) => worker(i));
    for (current = 0; current < REVOCATIONS; current++) {
      await revoke(account.id, keys[current].keyId);
      revokedAt[current] = performance.now();
    }
    running = false;
    await Promise.all(load);
    expect(violations).toEqual([]);
    expect(verifications).toBeGreaterThan(REVOCATIONS);
    for (const key of keys.slice(0, 10))
      expect(reasonOf(await sys.verify(bearer(key)))).toBe('revoked');
  });

  it('accepts Basic credentials only for accounts that enable them, with the account id as user', async () => {
    const withBasic = await createAccount('basic-on', true);
    const without = await createAccount('basic-off', false);
    const keyOn = await issue(withBasic.id);
    const keyOff = await issue(without.id);
    const basic = (user: string, key: IssuedKeyReply) =>
      `Basic ${Buffer.from(`${user}:${key.secret}`).toString('base64')}`;
    await eventually(async () => (await sys.verify(bearer(keyOff))).valid);
    await eventually(async () => (await sys.verify(bearer(keyOn))).valid);
    expect(await sys.verify(basic(withBasic.id, keyOn))).toMatchObject({
      valid: true,
      principal: { kind: 'serviceAccount', id: withBasic.id },
    });
    expect(reasonOf(await sys.verify(basic(without.id, keyOff)))).toBe('unknown');
    expect(reasonOf(await sys.verify(basic(without.id, keyOn)))).toBe('unknown');
  });

  it('refuses a key from its expiry on', async () => {
    const account = await createAccount('expiring');
    const expiresAt = Math.ceil(Date.now() / 1000) + 2;
    const key = await issue(account.id, expiresAt);
    await eventually(async () => (await sys.verify(bearer(key))).valid);
    expect(await sys.verify(bearer(key))).toMatchObject({ valid: true, expiresAt });
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now()));
    expect(await sys.verify(bearer(key))).toEqual({
      valid: false,
      reason: 'expired',
      position: expect.stringMatching(/^\d+$/),
    });
  });

  it('publishes usage rollups with uses and refusals to the durable usage stream', async () => {
    const account = await createAccount('usage');
    const used = await issue(account.id);
    await eventually(async () => (await sys.verify(bearer(used))).valid);
    await sys.verify(bearer(used));
    await revoke(account.id, used.keyId);
    await sys.verify(bearer(used));
    const js = sys.operator.jetstream();
    const consumer = await js.consumers.get(USAGE_STREAM, {
      filterSubjects: `${USAGE_SUBJECT_PREFIX}.e2e.${used.keyId}`,
    });
    const totals = { uses: 0, revoked: 0 };
    await eventually(async () => {
      const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
      for await (const msg of batch) {
        const rollup = msg.json<KeyUsageRollup>();
        totals.uses += rollup.uses;
        totals.revoked += rollup.refusedByReason.revoked ?? 0;
      }
      return totals.uses >= 2 && totals.revoked >= 1;
    });
  });

  it('G2/G3: a stopped node refuses once stale, then catches up; a killed node catches up on restart', async () => {
    const account = await createAccount('stale');
    const [kept, revokedWhileStopped, revokedWhileDown, issuedWhileDown] = [
      await issue(account.id),
      await issue(account.id),
      await issue(account.id),
      undefined,
    ];
    await eventually(async () => (await sys.verify(bearer(kept))).valid);
    // One node left, so every request goes to the node under test.
    for (const id of ['v2', 'v3']) await sys.verifiers.get(id)!.stop();
    const node = sys.verifiers.get('v1')!;

    node.child.kill('SIGSTOP');
    const queued = sys.verify(bearer(kept), 30_000);
    // The revoke waits for the stopped node until it stops counting as live (it is stale by then).
    await revoke(account.id, revokedWhileStopped.keyId);
    await new Promise((resolve) => setTimeout(resolve, STALENESS_MS));
    node.child.kill('SIGCONT');
    expect(await queued).toEqual({
      valid: false,
      reason: 'unavailable',
      position: expect.stringMatching(/^\d+$/),
    });
    await eventually(async () => (await sys.verify(bearer(kept))).valid);
    expect(reasonOf(await sys.verify(bearer(revokedWhileStopped)))).toBe('revoked');

    node.child.kill('SIGKILL');
    await node.exited;
    await revoke(account.id, revokedWhileDown.keyId);
    const fresh = issuedWhileDown ?? (await issue(account.id));
    await sys.startVerifier('v1');
    // Ready means caught up: the first answers already reflect what happened while it was down.
    expect(reasonOf(await sys.verify(bearer(revokedWhileDown)))).toBe('revoked');
    expect(reasonOf(await sys.verify(bearer(revokedWhileStopped)))).toBe('revoked');
    expect(reasonOf(await sys.verify(bearer(fresh)))).toBe('valid');
    expect(reasonOf(await sys.verify(bearer(kept)))).toBe('valid');
  });
});
