import type { RecordedEvent } from '@keyward/event-store';

export type ActorRef = { kind: 'member' | 'serviceAccount'; id: string } | { kind: 'operator' };

/** What the command service records with every event (EventMetadata in apps/command). */
interface StoredMetadata {
  eventId?: string;
  actor?: ActorRef;
  orgId?: string;
  correlationId?: string;
  causationId?: string;
  source?: { ip: string | null; userAgent: string | null; channel: string | null };
  occurredAt?: string;
}

/** An event as the reducers see it: its data plus who, when and from where. */
export interface AppliedEvent {
  type: string;
  data: Record<string, unknown>;
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

export function toAppliedEvent(event: RecordedEvent): AppliedEvent {
  const metadata = (event.metadata ?? {}) as StoredMetadata;
  const at = Date.parse(metadata.occurredAt ?? '');
  return {
    type: event.type,
    data: (event.data ?? {}) as Record<string, unknown>,
    position: positionNumber(event.position),
    at: Number.isFinite(at) ? at : 0,
    actor: metadata.actor ?? { kind: 'operator' },
    eventId: metadata.eventId ?? event.id,
    correlationId: metadata.correlationId ?? null,
    causationId: metadata.causationId ?? null,
    source: {
      ip: metadata.source?.ip ?? null,
      userAgent: metadata.source?.userAgent ?? null,
      channel: metadata.source?.channel ?? null,
    },
  };
}

export function positionNumber(position: bigint): number {
  if (position > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`position ${position} too large`);
  return Number(position);
}

export function actorId(actor: ActorRef): string | null {
  return actor.kind === 'operator' ? null : actor.id;
}
