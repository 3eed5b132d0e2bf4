import { setTimeout as sleep } from 'node:timers/promises';
import { NOTIFY_STREAM, notifySubject } from '@keyward/messaging';
import { NotifySystem } from './support/notify-system';

/**
 * Issue 14 part 4: `key.expiring_soon` a lead time before a key's expiry and `key.expired` at
 * it, from deadlines the notifier derives from the store, each once (deterministic ids) across
 * a `kill -9`. `npm run up`'s processes with the deployment's default lead left at 7 days and
 * the organization's own lead (its policy's `expiryNoticeSeconds`) set to 2 s over REST, driven
 * over REST, heard by a plain NATS subscriber (the operator).
 */
const SA = '/api/service-account/v1/service-account';
const POLICY = '/api/organization/v1/policy';
const LEAD_MS = 2_000;

describe.each([
  ['JetStream', false],
  ['EventStoreDB (wire-compatible server)', true],
])('notifier expiry notices on %s', (_store, onEventStoreDb) => {
  // KEYWARD_NOTIFY_EXPIRING_BEFORE_SECONDS left at its default, 7 days.
  const up = new NotifySystem({ name: 'keyward-notifier-expiry', eventStoreDb: onEventStoreDb });
  const { heard, http } = up;
  let account: string;
  /** Issued before the organization had a lead of its own: on the 7-day default. */
  let early: string;

  async function issue(expiresInSeconds: number): Promise<string> {
    const expiresAt = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const key = await http<{ keyId: string }>('POST', `${SA}/${account}/key`, {
      name: `expires-${expiresInSeconds}`,
      expiresAt,
    });
    expect(key.status).toBe(201);
    return key.body.keyId;
  }

  const about = (keyId: string, type?: string) =>
    heard.filter((h) => h.body.target.id === keyId && (type === undefined || h.body.type === type));

  async function until(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  beforeAll(async () => {
    await up.start();
    const created = await http<{ id: string }>('POST', SA, { name: 'expiring-bot' });
    expect(created.status).toBe(201);
    account = created.body.id;
    // On the 7-day default, a key 120 s from its expiry is warned about at once...
    early = await issue(120);
    await until('the default lead', () => about(early, 'key.expiring_soon').length > 0);
    // ...then the organization's own lead, 2 s, for the keys below.
    const policy = await http('PUT', POLICY, {
      expiryNoticeSeconds: LEAD_MS / 1000,
    });
    expect(policy).toMatchObject({ status: 200, body: { expiryNoticeSeconds: LEAD_MS / 1000 } });
  }, 120_000);

  afterAll(() => up.stop());

  it('sends expiring_soon then expired, once each, on time; none for a revoked key; a rotated key follows its new expiry', async () => {
    // Expiries 3–4 s away (whole seconds): each expiring_soon comes due a second or more after
    // its key was issued, revoked or rotated, and the test waits for the expiries themselves.
    const plain = await issue(4);
    const revoked = await issue(4);
    expect((await http('DELETE', `${SA}/${account}/key/${revoked}`)).status).toBe(204);
    const rotatedKey = await issue(120);
    const rotation = await http<{ keyId: string }>(
      'POST',
      `${SA}/${account}/key/${rotatedKey}/rotate`,
      { graceSeconds: 3 },
    );
    expect(rotation.status).toBe(201);

    await until('both keys expired', () =>
      [plain, rotatedKey].every((k) => about(k, 'key.expired').length > 0),
    );
    await sleep(1_500); // any stray second notice would arrive by now

    const issuedPlain = about(plain, 'key.issued')[0].body;
    const plainExpiry = (issuedPlain.data as { expiresAt: string }).expiresAt;
    const rotatedNote = about(rotatedKey, 'key.rotated')[0].body;
    const newExpiry = (rotatedNote.data as { expiresAt: string }).expiresAt;
    const originalExpiry = (about(rotatedKey, 'key.issued')[0].body.data as { expiresAt: string })
      .expiresAt;
    expect(Date.parse(newExpiry)).toBeLessThan(Date.parse(originalExpiry));

    for (const [keyId, expiresAt, setBy] of [
      [plain, plainExpiry, issuedPlain],
      [rotatedKey, newExpiry, rotatedNote],
    ] as const) {
      const soon = about(keyId, 'key.expiring_soon');
      const expired = about(keyId, 'key.expired');
      expect(soon).toHaveLength(1);
      expect(expired).toHaveLength(1);
      const expiresMs = Date.parse(expiresAt);
      for (const [h, type] of [
        [soon[0], 'key.expiring_soon'],
        [expired[0], 'key.expired'],
      ] as const) {
        expect(h.subject).toBe(notifySubject('acme', type));
        expect(h.body.eventId).toBe(`${type}:${keyId}:${expiresMs}`);
        expect(h.msgId).toBe(h.body.eventId);
        expect(h.positionHeader).toBe(setBy.position);
        expect(h.body).toMatchObject({
          type,
          orgId: 'acme',
          position: setBy.position,
          actor: { kind: 'system', id: null },
          target: { kind: 'key', id: keyId },
          data: {
            owner: { kind: 'serviceAccount', id: account },
            expiresAt,
            ...(keyId === rotatedKey ? { successorKeyId: rotation.body.keyId } : {}),
          },
        });
      }
      // On time: the soon notice inside the lead, the expired one from the expiry on.
      expect(soon[0].at).toBeGreaterThanOrEqual(expiresMs - LEAD_MS - 50);
      expect(soon[0].at).toBeLessThan(expiresMs);
      expect(expired[0].at).toBeGreaterThanOrEqual(expiresMs);
      expect(expired[0].at).toBeLessThan(expiresMs + 1_500);
    }
    // Nothing for the expiry the rotation replaced.
    const notices = about(rotatedKey).filter((h) => h.body.type.startsWith('key.expir'));
    expect(JSON.stringify(notices)).not.toContain(originalExpiry);
    expect(about(revoked).map((h) => h.body.type)).toEqual(['key.issued', 'key.revoked']);
    // The successor has no expiry: no notice.
    expect(about(rotation.body.keyId).map((h) => h.body.type)).toEqual(['key.issued']);
    // The lead changed after the early key's notice: not sent again. The policy as set, in the
    // notification and the read model.
    expect(about(early, 'key.expiring_soon')).toHaveLength(1);
    const policySet = heard.filter((h) => h.body.type === 'organization.policy_set');
    expect(policySet.map((h) => h.body.data)).toEqual([
      expect.objectContaining({ expiryNoticeSeconds: LEAD_MS / 1000 }),
    ]);
    expect((await http('GET', POLICY)).body).toMatchObject({ expiryNoticeSeconds: 2 });
  }, 60_000);

  it('a kill -9 between the two notices: no second expiring_soon with a new id, expired still sent', async () => {
    // Expiring soon 2–3 s from now, expired the lead time (2 s) later: the kill and the restart
    // fall between the two, as before, without the longer wait for the first.
    const keyId = await issue(5);
    await until('expiring_soon', () => about(keyId, 'key.expiring_soon').length > 0);
    const notifier = up.system.services.find((s) => s.name === 'notifier')!;
    notifier.child.kill('SIGKILL');
    await notifier.exited;
    const killedAt = Date.now();
    await up.system.restartService('notifier');
    await until('expired after the restart', () => about(keyId, 'key.expired').length > 0);
    await sleep(1_500);

    const soon = about(keyId, 'key.expiring_soon');
    const expired = about(keyId, 'key.expired');
    const expiresMs = Date.parse(
      (about(keyId, 'key.issued')[0].body.data as { expiresAt: string }).expiresAt,
    );
    // Duplicates, if any, are the same notice with the same id (JetStream stores it once).
    expect(new Set(soon.map((h) => h.msgId))).toEqual(
      new Set([`key.expiring_soon:${keyId}:${expiresMs}`]),
    );
    expect(new Set(expired.map((h) => h.msgId))).toEqual(
      new Set([`key.expired:${keyId}:${expiresMs}`]),
    );
    for (const all of [soon, expired]) for (const h of all) expect(h.body).toEqual(all[0].body);
    expect(expired[0].at).toBeGreaterThanOrEqual(expiresMs);
    expect(expired[0].at).toBeGreaterThan(killedAt); // sent by the restarted notifier

    // The stream holds one message per distinct notification (the restart replayed the rest).
    const distinct = new Set(heard.map((h) => h.body.eventId));
    if (onEventStoreDb) return;
    const info = await (await up.operator.jetstreamManager()).streams.info(NOTIFY_STREAM);
    expect(info.state.messages).toBe(distinct.size);
    console.info(
      `expiry notices on ${_store} across kill -9: ${soon.length} expiring_soon, ${expired.length} expired heard ` +
        `(${soon.length + expired.length - 2} duplicates, same id)`,
    );
  }, 60_000);
});
