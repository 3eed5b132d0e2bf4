import { ReadBarrier } from './read-barrier';

function storeWithHead(heads: (bigint | null)[]) {
  const lookups: number[] = [];
  return {
    lookups,
    store: {
      headPosition: () => {
        lookups.push(Date.now());
        return Promise.resolve(heads.shift() ?? null);
      },
    },
  };
}

const settled = async (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    Promise.resolve('pending'),
  ]);

describe('ReadBarrier', () => {
  it('resolves once the follower has applied the head the store had when it was asked', async () => {
    const { store } = storeWithHead([5n]);
    const barrier = new ReadBarrier(store, () => undefined);
    barrier.advance(3n);
    const sync = barrier.sync();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await settled(sync)).toBe('pending');
    barrier.advance(5n);
    await expect(sync).resolves.toBeUndefined();
  });

  it('resolves at once on an empty store or when already caught up', async () => {
    const { store } = storeWithHead([null, 2n]);
    const barrier = new ReadBarrier(store, () => undefined);
    await expect(barrier.sync()).resolves.toBeUndefined();
    barrier.advance(2n);
    await expect(barrier.sync()).resolves.toBeUndefined();
  });

  it('shares one head lookup between callers that arrived before it started', async () => {
    const { store, lookups } = storeWithHead([1n, 1n]);
    const barrier = new ReadBarrier(store, () => undefined);
    const waits = [barrier.sync(), barrier.sync(), barrier.sync()];
    barrier.advance(1n);
    await Promise.all(waits);
    expect(lookups.length).toBeLessThanOrEqual(2);
  });

  it('answers SERVICE.UNAVAILABLE and reports a stall after 5 s without progress', async () => {
    jest.useFakeTimers();
    try {
      const { store } = storeWithHead([9n]);
      const stalls: number[] = [];
      const barrier = new ReadBarrier(store, () => stalls.push(1));
      const sync = barrier.sync();
      sync.catch(() => undefined);
      await jest.advanceTimersByTimeAsync(5_001);
      await expect(sync).rejects.toMatchObject({ code: 'SERVICE.UNAVAILABLE' });
      expect(stalls).toEqual([1]);
    } finally {
      jest.useRealTimers();
    }
  });
});
