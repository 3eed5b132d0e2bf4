import { randomUUID } from 'node:crypto';
import { schemaVersionOf, type DomainEvent, type EventMetadata } from '@keyward/domain';
import type { EventToAppend, Position, RecordedEvent } from '@keyward/event-store';
import type { CommandContext } from './command-context';

/**
 * A decided event as it is appended: a fresh id and the metadata every event records (who,
 * where from, when, which command, the type's schema version, and the Idempotency-Key with the
 * fingerprint of the request it was first used with).
 */
export function envelope(
  event: DomainEvent,
  context: CommandContext,
  commandType: string,
  now: number,
): EventToAppend {
  // Random even for a retried request: a racing duplicate must conflict and then replay what
  // won, not be taken by the store for an idempotent re-append of events it did not write.
  const id = randomUUID();
  const metadata: EventMetadata = {
    eventId: id,
    actor: context.actor,
    orgId: context.orgId,
    correlationId: context.correlationId,
    causationId: context.correlationId,
    source: context.source,
    occurredAt: new Date(now).toISOString(),
    schemaVersion: schemaVersionOf(event.type),
    commandType,
    ...(context.idempotencyKey === undefined
      ? {}
      : {
          idempotencyKey: context.idempotencyKey,
          requestFingerprint: context.requestFingerprint,
        }),
  };
  return { id, type: event.type, data: event.data, metadata };
}

/**
 * An appended event as the store would return it, for the cache. Positions of all but the last
 * event of a commit are not known here and nothing reads them from the cache, so they share it.
 */
export function asRecorded(
  event: EventToAppend,
  streamName: string,
  revision: bigint,
  position: Position,
): RecordedEvent {
  return { ...event, streamName, revision, position };
}
