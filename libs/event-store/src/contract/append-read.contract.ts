import { WrongExpectedRevisionError } from '../errors';
import type { EventToAppend } from '../event-store.port';
import { newEvent, newEvents, uniqueStreamName, type CurrentFixture } from './contract-fixtures';

const ids = (events: readonly { id: string }[]): string[] => events.map((event) => event.id);

export function describeAppendReadContract(fixture: CurrentFixture): void {
  const store = () => fixture().store;

  it('appends to a new stream with no_stream and reads the event back whole', async () => {
    const stream = uniqueStreamName('order');
    const event = newEvent('OrderPlaced', { total: 42, lines: [{ sku: 'a' }] });
    const result = await store().appendToStream(stream, [event], { expectedRevision: 'no_stream' });
    expect(result.nextExpectedRevision).toBe(0n);
    expect(await store().readStream(stream)).toEqual([
      { ...event, streamName: stream, revision: 0n, position: result.position },
    ]);
  });

  it('appends with the current revision and keeps revisions contiguous', async () => {
    const stream = uniqueStreamName('order');
    const first = await store().appendToStream(stream, newEvents(2), {
      expectedRevision: 'no_stream',
    });
    const second = await store().appendToStream(stream, newEvents(1), { expectedRevision: 1n });
    expect(second.nextExpectedRevision).toBe(2n);
    expect(second.position).toBeGreaterThan(first.position);
    const read = await store().readStream(stream);
    expect(read.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
    expect(read[2].position).toBe(second.position);
  });

  describe('rejects a wrong expected revision and writes nothing', () => {
    it('no_stream on an existing stream', async () => {
      const stream = uniqueStreamName('order');
      await store().appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
      await expectConflict(stream, newEvents(1), 'no_stream', 1n);
      expect(await store().readStream(stream)).toHaveLength(2);
    });

    it('a stale revision', async () => {
      const stream = uniqueStreamName('order');
      await store().appendToStream(stream, newEvents(3), { expectedRevision: 'no_stream' });
      await expectConflict(stream, newEvents(2), 1n, 2n);
      expect(await store().readStream(stream)).toHaveLength(3);
    });

    it('a revision ahead of the stream', async () => {
      const stream = uniqueStreamName('order');
      await store().appendToStream(stream, newEvents(1), { expectedRevision: 'no_stream' });
      await expectConflict(stream, newEvents(1), 5n, 0n);
      expect(await store().readStream(stream)).toHaveLength(1);
    });

    it('a revision on a stream that does not exist', async () => {
      const stream = uniqueStreamName('order');
      await expectConflict(stream, newEvents(1), 0n, 'no_stream');
      expect(await store().readStream(stream)).toEqual([]);
    });
  });

  it("appends with 'any' whether or not the stream exists", async () => {
    const stream = uniqueStreamName('order');
    const first = await store().appendToStream(stream, newEvents(1), { expectedRevision: 'any' });
    const second = await store().appendToStream(stream, newEvents(2), { expectedRevision: 'any' });
    expect([first.nextExpectedRevision, second.nextExpectedRevision]).toEqual([0n, 2n]);
    expect(await store().readStream(stream)).toHaveLength(3);
  });

  it('appends several events atomically, in order, each with its own position', async () => {
    const stream = uniqueStreamName('order');
    const events = newEvents(4);
    const result = await store().appendToStream(stream, events, { expectedRevision: 'no_stream' });
    const read = await store().readStream(stream);
    expect(ids(read)).toEqual(ids(events));
    expect(read.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n]);
    expectStrictlyIncreasing(read.map((event) => event.position));
    expect(read[3].position).toBe(result.position);
    await expectConflict(stream, newEvents(3), 'no_stream', 3n);
    expect(ids(await store().readStream(stream))).toEqual(ids(events));
  });

  describe('idempotent retries', () => {
    it('returns the original result for the same events at the same expected revision', async () => {
      const stream = uniqueStreamName('order');
      const created = newEvents(2);
      const added = newEvents(1);
      const first = await store().appendToStream(stream, created, {
        expectedRevision: 'no_stream',
      });
      const second = await store().appendToStream(stream, added, { expectedRevision: 1n });
      expect(
        await store().appendToStream(stream, created, { expectedRevision: 'no_stream' }),
      ).toEqual(first);
      expect(await store().appendToStream(stream, added, { expectedRevision: 1n })).toEqual(second);
      expect(ids(await store().readStream(stream))).toEqual(ids([...created, ...added]));
    });

    it('also from another instance that has seen nothing', async () => {
      const { reopen } = fixture();
      if (!reopen) return;
      const stream = uniqueStreamName('order');
      const created = newEvents(2);
      const added = newEvents(3);
      const first = await store().appendToStream(stream, created, {
        expectedRevision: 'no_stream',
      });
      const second = await store().appendToStream(stream, added, { expectedRevision: 1n });
      const other = await reopen();
      try {
        expect(await other.appendToStream(stream, added, { expectedRevision: 1n })).toEqual(second);
        expect(
          await other.appendToStream(stream, created, { expectedRevision: 'no_stream' }),
        ).toEqual(first);
        expect(await other.readStream(stream)).toHaveLength(5);
      } finally {
        await other.close();
      }
    });

    it('still conflicts when only some of the ids match', async () => {
      const stream = uniqueStreamName('order');
      const [a, b] = newEvents(2);
      await store().appendToStream(stream, [a, b], { expectedRevision: 'no_stream' });
      await expectConflict(stream, [a, newEvent()], 'no_stream', 1n);
      await expectConflict(stream, [a, b, newEvent()], 'no_stream', 1n);
    });
  });

  it('reads from a revision, including from the middle of an append', async () => {
    const stream = uniqueStreamName('order');
    const events = newEvents(5);
    await store().appendToStream(stream, events.slice(0, 3), { expectedRevision: 'no_stream' });
    await store().appendToStream(stream, events.slice(3), { expectedRevision: 2n });
    const fromTwo = await store().readStream(stream, { fromRevision: 2n });
    expect(fromTwo.map((event) => event.revision)).toEqual([2n, 3n, 4n]);
    expect(ids(fromTwo)).toEqual(ids(events.slice(2)));
    expect(await store().readStream(stream, { fromRevision: 5n })).toEqual([]);
  });

  it('reads what another instance appended after the revision this one last saw', async () => {
    const { reopen } = fixture();
    if (!reopen) return;
    const stream = uniqueStreamName('order');
    const events = newEvents(6);
    await store().appendToStream(stream, events.slice(0, 3), { expectedRevision: 'no_stream' });
    expect(await store().readStream(stream)).toHaveLength(3);
    expect(await store().readStream(stream, { fromRevision: 3n })).toEqual([]);
    const other = await reopen();
    try {
      await other.appendToStream(stream, events.slice(3, 5), { expectedRevision: 2n });
      await other.appendToStream(stream, events.slice(5), { expectedRevision: 4n });
    } finally {
      await other.close();
    }
    const newer = await store().readStream(stream, { fromRevision: 3n });
    expect(newer.map((event) => event.revision)).toEqual([3n, 4n, 5n]);
    expect(ids(newer)).toEqual(ids(events.slice(3)));
    expect(await store().readStream(stream, { fromRevision: 6n })).toEqual([]);
  });

  it('reads a stream that does not exist as empty', async () => {
    expect(await store().readStream(uniqueStreamName('order'))).toEqual([]);
  });

  it('lets exactly one of several concurrent appends at the same revision win', async () => {
    const stream = uniqueStreamName('order');
    await store().appendToStream(stream, newEvents(1), { expectedRevision: 'no_stream' });
    const attempts = Array.from({ length: 10 }, () =>
      store().appendToStream(stream, newEvents(2), { expectedRevision: 0n }),
    );
    const outcomes = await Promise.allSettled(attempts);
    const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const losers = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason] : [],
    );
    expect(winners).toHaveLength(1);
    expect(losers.every((reason) => reason instanceof WrongExpectedRevisionError)).toBe(true);
    expect(await store().readStream(stream)).toHaveLength(3);
  });

  it('reads a long stream back in order', async () => {
    const stream = uniqueStreamName('ledger');
    const commits = Array.from({ length: 500 }, () => newEvents(10));
    let revision: bigint | 'no_stream' = 'no_stream';
    for (const events of commits) {
      revision = (await store().appendToStream(stream, events, { expectedRevision: revision }))
        .nextExpectedRevision;
    }
    const read = await store().readStream(stream);
    expect(read).toHaveLength(5000);
    expect(ids(read)).toEqual(ids(commits.flat()));
    expect(read.every((event, index) => event.revision === BigInt(index))).toBe(true);
    expect(await store().readStream(stream, { fromRevision: 4998n })).toHaveLength(2);
  }, 20_000);

  it('reports the head position: null when empty, then the last appended event', async () => {
    expect(await store().headPosition()).toBeNull();
    await store().appendToStream(uniqueStreamName('order'), newEvents(2), {
      expectedRevision: 'any',
    });
    const last = await store().appendToStream(uniqueStreamName('user'), newEvents(3), {
      expectedRevision: 'no_stream',
    });
    expect(await store().headPosition()).toBe(last.position);
  });

  async function expectConflict(
    stream: string,
    events: EventToAppend[],
    expectedRevision: bigint | 'no_stream',
    actual: bigint | 'no_stream',
  ): Promise<void> {
    const attempt = store().appendToStream(stream, events, { expectedRevision });
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(attempt).rejects.toMatchObject({
      streamName: stream,
      expected: expectedRevision,
      actual,
    });
  }
}

export function expectStrictlyIncreasing(positions: readonly bigint[]): void {
  const violations = positions.filter(
    (position, index) => index > 0 && position <= positions[index - 1],
  );
  expect(violations).toEqual([]);
}
