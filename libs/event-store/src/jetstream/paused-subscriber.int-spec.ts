import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import { newEvent } from '../contract/contract-fixtures';
import { JetStreamEventStore } from './jetstream-event-store';

/**
 * A subscriber paused past its fetch's expiry (SIGSTOP here; a long GC or a starved VM in
 * production) while commits are appended, and nothing appended after it resumes: it must
 * still receive them. Before the fix the server delivered them to the expired pull, the client
 * dropped them, and the subscription sat behind the head until some later append revealed
 * the gap — forever, on a quiet store.
 */
const script = resolve(
  __dirname,
  '../../../../dist/libs/event-store/src/contract/subscriber-process.js',
);
const STREAM = 'KW_PAUSED';
const PREFIX = 'kwpaused.ev';

jest.setTimeout(30_000);

describe('a JetStream subscriber paused past its fetch expiry', () => {
  let server: NatsServerHandle;
  let connection: NatsConnection;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    connection = await connect({ servers: server.url, noAsyncTraces: true });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await connection?.drain();
    await server?.stop();
  });

  it('receives what was appended during the pause, with no later append to reveal it', async () => {
    const store = await JetStreamEventStore.create(connection, {
      streamName: STREAM,
      subjectPrefix: PREFIX,
    });
    const append = (i: number) =>
      store.appendToStream(`paused-${i % 2}`, [newEvent()], { expectedRevision: 'any' });
    await append(0);
    await append(1);
    child = spawn(process.execPath, [script, server.url, STREAM, PREFIX], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let received = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/events (\d+)/g)) received = Number(match[1]);
    });
    const until = async (check: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return check();
    };
    expect(await until(() => received === 2, 10_000)).toBe(true);

    child.kill('SIGSTOP');
    // Past the fetch's expiry (2 s, and the client's 5 % margin), with commits meanwhile.
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 2; i < 5; i++) await append(i);
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGCONT');

    expect(await until(() => received === 5, 6_000)).toBe(true);
  });
});
