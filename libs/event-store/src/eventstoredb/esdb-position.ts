import type { Position } from '../event-store.port';

/** EventStoreDB's own position of an event in `$all`: byte offsets in its transaction log. */
export interface EsdbPosition {
  commit: bigint;
  prepare: bigint;
}

/*
 * `$all` is ordered by (commit, prepare). Every event of one append shares the append's commit
 * position and has its own prepare position near it, so neither number alone is unique and
 * order-preserving, and a subscription resumed from the middle of an append needs both. The
 * port's Position therefore packs both, exactly and order-preservingly: the commit position in
 * the high bits and the prepare's signed distance from it in the low 24 bits (±8 MiB, beyond
 * EventStoreDB's largest allowed append). Positions stay within 63 bits while the log is under
 * 512 GiB.
 */
const OFFSET_BITS = 24n;
const OFFSET_BIAS = 1n << (OFFSET_BITS - 1n);
const OFFSET_MASK = (1n << OFFSET_BITS) - 1n;

export function toPosition({ commit, prepare }: EsdbPosition): Position {
  const offset = prepare - commit + OFFSET_BIAS;
  if (commit < 0n || offset < 0n || offset > OFFSET_MASK) {
    throw new RangeError(`EventStoreDB position ${commit}/${prepare} cannot be encoded`);
  }
  return (commit << OFFSET_BITS) | offset;
}

export function toEsdbPosition(position: Position): EsdbPosition {
  if (position < 0n) throw new RangeError(`invalid position ${position}`);
  const commit = position >> OFFSET_BITS;
  return { commit, prepare: commit + (position & OFFSET_MASK) - OFFSET_BIAS };
}
