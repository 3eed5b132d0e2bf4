import type { Position } from '../event-store.port';

/*
 * A commit is one JetStream message, so an event's position is its message's stream sequence
 * with the event's index in the commit in the low bits: positions then sort in commit order and
 * a subscription can resume from the middle of a commit.
 */
const INDEX_BITS = 16n;
const INDEX_MASK = (1n << INDEX_BITS) - 1n;
export const MAX_EVENTS_PER_COMMIT = Number(INDEX_MASK) + 1;

export function toPosition(streamSequence: number, index: number): Position {
  return (BigInt(streamSequence) << INDEX_BITS) | BigInt(index);
}

export function splitPosition(position: Position): { streamSequence: number; index: number } {
  if (position < 0n) throw new RangeError(`invalid position ${position}`);
  return { streamSequence: Number(position >> INDEX_BITS), index: Number(position & INDEX_MASK) };
}
