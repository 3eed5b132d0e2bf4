import { connect, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import { NatsJsonClient } from './nats-json-client';

/** A queue group with one stalled member: plain requests lose about half, hedged ones none. */
describe('NatsJsonClient.hedgedReply (real nats-server)', () => {
  let nats: NatsServerHandle;
  let client: NatsConnection;
  let responders: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer({ jetstream: false });
    client = await connect({ servers: nats.url });
    responders = await connect({ servers: nats.url });
    // The stalled member takes its share of requests and never answers.
    responders.subscribe('hedge.test', { queue: 'q', callback: () => undefined });
    responders.subscribe('hedge.test', {
      queue: 'q',
      callback: (_error, msg) => msg.respond(JSON.stringify({ ok: true, data: 'answered' })),
    });
    await responders.flush();
  });
  afterAll(async () => {
    await client.drain();
    await responders.drain();
    await nats.stop();
  });

  it('answers every request although half go to a member that never answers', async () => {
    const json = new NatsJsonClient(client, 2000);
    const replies = await Promise.all(
      Array.from({ length: 100 }, () =>
        json.hedgedReply<string>('hedge.test', {}, { hedgeAfterMs: 20 }),
      ),
    );
    expect(replies.every((reply) => reply.ok && reply.data === 'answered')).toBe(true);
  });

  it('without hedging, about half of the same requests time out (the case it fixes)', async () => {
    const json = new NatsJsonClient(client, 200);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => json.reply<string>('hedge.test', {})),
    );
    const failed = results.filter((r) => r.status === 'rejected').length;
    expect(failed).toBeGreaterThan(20);
  });

  it('gives up at the timeout when nobody answers', async () => {
    const json = new NatsJsonClient(client, 300);
    const started = Date.now();
    await expect(json.hedgedReply('hedge.nobody', {}, { hedgeAfterMs: 50 })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
