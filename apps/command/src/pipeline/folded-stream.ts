import type { Decider, Decoded, DecodedMetadata, DomainEvent, StoredEvent } from '@keyward/domain';
import type { RecordedEvent, Revision } from '@keyward/event-store';
import { skipUnknownEvent } from '@keyward/transport';

/** A stream folded up to `nextRevision`, with what a retried command needs to be recognised. */
export interface FoldedStream<S> {
  decider: Decider<never, DomainEvent, S>;
  state: S;
  nextRevision: Revision;
  lastEvent: RecordedEvent | null;
  /** Epoch ms the stream's first and latest events were recorded (a reply's created / updated). */
  recordedAt: RecordedAt | null;
  /** Events recorded with an idempotency key, by `commandType + key`. */
  retried: ReadonlyMap<string, RecordedEvent[]>;
}

export interface RecordedAt {
  first: number;
  last: number;
}

export function emptyStream<S>(decider: Decider<never, DomainEvent, S>): FoldedStream<S> {
  return {
    decider,
    state: decider.initialState(),
    nextRevision: 0n,
    lastEvent: null,
    recordedAt: null,
    retried: new Map(),
  };
}

/** Reads a stored event as the domain's type: `decodeEvent`, unless a test folds its own. */
export type DecodeEvent = (stored: StoredEvent) => Decoded;

export function foldEvents<S>(
  folded: FoldedStream<S>,
  events: readonly RecordedEvent[],
  decodeEvent: DecodeEvent,
): FoldedStream<S> {
  if (events.length === 0) return folded;
  const retried = new Map(folded.retried);
  let state = folded.state;
  let recordedAt = folded.recordedAt;
  for (const event of events) {
    const decoded = decodeEvent(event);
    if (!decoded.known) {
      skipUnknownEvent('command fold', decoded.type);
      continue;
    }
    state = folded.decider.evolve(state, decoded.event);
    const at = Date.parse(decoded.metadata.occurredAt ?? '');
    if (Number.isFinite(at)) recordedAt = { first: recordedAt?.first ?? at, last: at };
    const key = retryKeyOf(decoded.metadata);
    if (key !== null) retried.set(key, [...(retried.get(key) ?? []), event]);
  }
  const lastEvent = events[events.length - 1];
  return {
    decider: folded.decider,
    state,
    nextRevision: lastEvent.revision + 1n,
    lastEvent,
    recordedAt,
    retried,
  };
}

export function retryKey(commandType: string, idempotencyKey: string): string {
  return `${commandType}\u0000${idempotencyKey}`;
}

function retryKeyOf(metadata: DecodedMetadata): string | null {
  if (metadata.idempotencyKey === undefined || metadata.commandType === undefined) return null;
  return retryKey(metadata.commandType, metadata.idempotencyKey);
}
