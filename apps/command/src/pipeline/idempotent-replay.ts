import type { DomainEvent } from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import type { CommandContext } from './command-context';
import type { DecodeEvent, FoldedStream, RecordedAt } from './folded-stream';
import { retryKey } from './folded-stream';
import { idempotencyKeyReused } from './idempotency-ledger';

/** What a retried request is answered with: the original run's events, position and time. */
export interface Replayed<E, S> {
  events: E[];
  state: S;
  position: bigint;
  occurredAt: number;
  recordedAt: RecordedAt | null;
  replayed: true;
}

/**
 * Step 2 of a command: a request whose Idempotency-Key this stream already recorded for the
 * same command is answered with what that run appended, and nothing is decided or appended
 * again; the same key with a different request is refused (`IDEMPOTENCY.KEY_REUSED`).
 * Undefined when the request is not a retry.
 */
export function replayOfRetry<E extends DomainEvent, S>(
  folded: FoldedStream<S>,
  commandType: string,
  context: CommandContext,
  decode: DecodeEvent,
): Replayed<E, S> | undefined {
  if (context.idempotencyKey === undefined) return undefined;
  const earlier = folded.retried.get(retryKey(commandType, context.idempotencyKey));
  if (earlier === undefined) return undefined;
  return { ...replay(earlier, folded.state, context, decode), recordedAt: folded.recordedAt };
}

function replay<E extends DomainEvent, S>(
  earlier: readonly RecordedEvent[],
  state: S,
  context: CommandContext,
  decode: DecodeEvent,
): Omit<Replayed<E, S>, 'recordedAt'> {
  const decoded = earlier.map((recorded) => decode(recorded));
  const first = decoded[0];
  const metadata = first.known ? first.metadata : {};
  if (metadata.requestFingerprint !== context.requestFingerprint) throw idempotencyKeyReused();
  const events = decoded.flatMap((d) => (d.known ? [d.event as unknown as E] : []));
  return {
    events,
    state,
    position: earlier[earlier.length - 1].position,
    occurredAt: Date.parse(metadata.occurredAt ?? ''),
    replayed: true,
  };
}
