import {
  COMMAND_SUBJECTS as C,
  FIELD_BOUNDS,
  QUERY_SUBJECTS as Q,
  type AuditEntryView,
  type Page,
  type Reply,
  type ServiceAccountView,
} from '@keyward/messaging';
import { bearer } from '../../command/test/expect-reply-error';
import { startProjectorHarness, type ProjectorHarness } from './projector.harness';

describe('query bounds over NATS: times, page sizes and name filters are checked at the edge', () => {
  let h: ProjectorHarness;
  let admin: string;
  const { epochSeconds, pageLimit } = FIELD_BOUNDS;

  const ask = <T>(subject: string, body: object) =>
    h.client.reply<T>(subject, body, { authorization: admin });

  /** The reply must be VALIDATION.FAILED naming exactly `field`. */
  const expectRefused = async (subject: string, body: object, field: string) => {
    const reply: Reply<unknown> = await ask(subject, body);
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    if (reply.ok) return;
    expect(reply.error.fields?.map((f) => f.field)).toEqual([field]);
  };

  beforeAll(async () => {
    h = await startProjectorHarness();
    admin = bearer((await h.bootstrap('bounded')).key.secret as string);
    await h.client.request(C.createServiceAccount, { name: 'Café bot' }, { authorization: admin });
    await h.synced();
  }, 60_000);
  afterAll(() => h.stopAll());

  it.each([1e308, 2 ** 53 + 2, epochSeconds.max + 1, -1, 1.5, '1'])(
    'audit query and export refuse from and to of %p',
    async (value) => {
      for (const subject of [Q.queryAudit, Q.exportAudit]) {
        await expectRefused(subject, { from: value }, 'from');
        await expectRefused(subject, { to: value }, 'to');
      }
    },
  );

  it('accepts the whole epoch-seconds range', async () => {
    const reply = await ask<Page<AuditEntryView>>(Q.queryAudit, {
      from: epochSeconds.min,
      to: epochSeconds.max,
    });
    expect(reply.ok).toBe(true);
    if (reply.ok) expect(reply.data.items.length).toBeGreaterThan(0);
  });

  it.each([0, pageLimit.max + 1, 1e308, 2 ** 53 + 2, 1.5])(
    'every page refuses a limit of %p',
    async (limit) => {
      for (const subject of [
        Q.queryAudit,
        Q.exportAudit,
        Q.listServiceAccounts,
        Q.listMembers,
        Q.listPersonalKeys,
      ]) {
        await expectRefused(subject, { limit }, 'limit');
      }
    },
  );

  it('accepts a limit of 1 and of the maximum page size', async () => {
    for (const limit of [pageLimit.min, pageLimit.max]) {
      expect((await ask(Q.listServiceAccounts, { limit })).ok).toBe(true);
    }
  });

  it('matches a name prefix sent in NFD against the NFC name, and refuses invisible characters', async () => {
    const page = await ask<Page<ServiceAccountView>>(Q.listServiceAccounts, {
      namePrefix: 'cafe\u0301',
    });
    expect(page).toMatchObject({ ok: true, data: { items: [{ name: 'Café bot' }] } });
    await expectRefused(Q.listServiceAccounts, { namePrefix: 'caf\u202e' }, 'namePrefix');
    await expectRefused(Q.queryAudit, { actor: 'admin\u0000' }, 'actor');
    await expectRefused(Q.queryAudit, { target: '\u200bsa_' }, 'target');
  });
});
