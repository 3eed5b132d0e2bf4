import fc from 'fast-check';
import { toEsdbPosition, toPosition } from './esdb-position';

describe('EventStoreDB positions as port positions', () => {
  const esdbPosition = fc
    .record({
      commit: fc.bigInt({ min: 0n, max: 1n << 39n }),
      offset: fc.bigInt({ min: -(1n << 23n), max: (1n << 23n) - 1n }),
    })
    .map(({ commit, offset }) => ({ commit, prepare: commit + offset }));

  it('round-trips commit and prepare exactly', () => {
    fc.assert(
      fc.property(esdbPosition, (position) => {
        expect(toEsdbPosition(toPosition(position))).toEqual(position);
      }),
    );
  });

  it('keeps the order of $all: by commit, then by prepare', () => {
    fc.assert(
      fc.property(esdbPosition, esdbPosition, (a, b) => {
        const esdbOrder =
          a.commit === b.commit
            ? Math.sign(Number(a.prepare - b.prepare))
            : a.commit < b.commit
              ? -1
              : 1;
        const portOrder = Math.sign(Number(toPosition(a) - toPosition(b)));
        expect(portOrder).toBe(esdbOrder);
      }),
    );
  });

  it('orders the events of one append, which share a commit position', () => {
    const events = [100n, 180n, 260n].map((prepare) => toPosition({ commit: 100n, prepare }));
    expect([...events].sort((a, b) => Number(a - b))).toEqual(events);
    expect(toPosition({ commit: 101n, prepare: 101n })).toBeGreaterThan(events[2]);
  });

  it('refuses what it cannot encode rather than mis-order it', () => {
    expect(() => toPosition({ commit: 0n, prepare: 1n << 24n })).toThrow(RangeError);
    expect(() => toPosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
  });
});
