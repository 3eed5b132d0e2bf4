import { COMMAND_SUBJECTS as S, type ServiceAccountReply } from '@keyward/messaging';
import { startCommandService, type CommandServiceHarness } from './command-service.harness';
import { bearer } from './expect-reply-error';

/** Retries a call until it succeeds: requests sent while NATS is reconnecting may time out. */
async function eventually<T>(call: () => Promise<T>, deadlineMs = 20_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('the command service across a nats-server restart', () => {
  let h: CommandServiceHarness;
  afterAll(() => h.stop());

  it('keeps its data and its name reservations, and serves again after reconnecting', async () => {
    h = await startCommandService();
    const admin = bearer((await h.bootstrap('restart-org')).key.secret as string);
    const create = (name: string) =>
      h.client.request<ServiceAccountReply>(
        S.createServiceAccount,
        { name },
        { authorization: admin, timeoutMs: 2_000 },
      );
    const before = await create('before-restart');

    await h.nats.restart();

    const after = await eventually(() => create('after-restart'));
    expect(after.id).not.toBe(before.id);
    const taken = await h.client.reply(
      S.createServiceAccount,
      { name: 'before-restart' },
      { authorization: admin },
    );
    expect(taken).toMatchObject({ ok: false, error: { code: 'SERVICE_ACCOUNT.NAME_TAKEN' } });
  }, 60_000);
});
