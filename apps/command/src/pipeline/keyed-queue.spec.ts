import { KeyedQueue } from './keyed-queue';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedQueue', () => {
  it('runs tasks with one key one after another, in arrival order', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let release!: () => void;
    const first = queue.run('k', async () => {
      log.push('first start');
      await new Promise<void>((resolve) => (release = resolve));
      log.push('first end');
    });
    const second = queue.run('k', async () => {
      log.push('second');
    });
    await tick();
    expect(log).toEqual(['first start']);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['first start', 'first end', 'second']);
  });

  it('lets other keys and keyless tasks run at once', async () => {
    const queue = new KeyedQueue();
    const started: string[] = [];
    const never = new Promise<void>(() => undefined);
    void queue.run('a', () => never);
    void queue.run('b', async () => void started.push('b'));
    void queue.run(undefined, async () => void started.push('none'));
    await tick();
    expect(started).toEqual(['b', 'none']);
  });

  it('a failed task neither blocks the next one nor hands it its error', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('k', async () => {
      throw new Error('boom');
    });
    const next = queue.run('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
