import {
  decodeEvent,
  type ActorRef,
  type KeywardEvent,
  type KeywardEventType,
  type EventOfType,
} from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import { skipUnknownEvent } from '@keyward/transport';

export type { ActorRef } from '@keyward/domain';

/** Who, when and from where: what every reducer sees beside an event's data. */
export interface AppliedContext {
  /** Store position; safe as a number up to 2^37 commits. */
  position: number;
  /** Epoch ms the command recorded. */
  at: number;
  actor: ActorRef;
  eventId: string;
  correlationId: string | null;
  causationId: string | null;
  source: { ip: string | null; userAgent: string | null; channel: string | null };
}

/** An event as the reducers see it: its decoded, typed data, plus who, when and from where. */
export type AppliedEvent<E extends KeywardEvent = KeywardEvent> = E extends KeywardEvent
  ? AppliedContext & { type: E['type']; data: E['data'] }
  : never;

/** The applied event of one type. */
export type AppliedOf<T extends KeywardEventType> = AppliedEvent<EventOfType<T>>;

/**
 * A stored event through the domain's decoder (`decodeEvent`), with its metadata; null for a
 * type this version does not know (skipped, with a warning). A known type that does not decode
 * throws: the follower stops there rather than write a read model it cannot trust.
 */
export function toAppliedEvent(recorded: RecordedEvent): AppliedEvent | null {
  const decoded = decodeEvent(recorded);
  if (!decoded.known) {
    skipUnknownEvent('projector', decoded.type);
    return null;
  }
  const { metadata, event } = decoded;
  const at = Date.parse(metadata.occurredAt ?? '');
  // One literal shape for every event (a spread of the event would give each its own).
  return {
    type: event.type,
    data: event.data,
    position: positionNumber(recorded.position),
    at: Number.isFinite(at) ? at : 0,
    actor: metadata.actor ?? { kind: 'operator' },
    eventId: metadata.eventId ?? recorded.id,
    correlationId: metadata.correlationId ?? null,
    causationId: metadata.causationId ?? null,
    source: {
      ip: metadata.source?.ip ?? null,
      userAgent: metadata.source?.userAgent ?? null,
      channel: metadata.source?.channel ?? null,
    },
  } as AppliedEvent;
}

export function positionNumber(position: bigint): number {
  if (position > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`position ${position} too large`);
  return Number(position);
}

export function actorId(actor: ActorRef): string | null {
  return 'id' in actor ? actor.id : null;
}
