import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { LogPosition, StoredEvent } from './event-log';

export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

/** ReadResp.event = 1: ReadEvent{event = 1, commit_position = 3} around RecordedEvent fields 1–8. */
export function eventMessage(event: StoredEvent): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(event.id))
    .setStreamIdentifier(streamIdentifier(event.streamName))
    .setStreamRevision(event.revision.toString())
    .setPreparePosition(event.prepare.toString())
    .setCommitPosition(event.commit.toString())
    .setCustomMetadata(event.customMetadata)
    .setData(event.data);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType)
    .set('created', event.created.toString());
  const readEvent = new ReadResp.ReadEvent()
    .setEvent(recorded)
    .setCommitPosition(event.commit.toString());
  return new ReadResp().setEvent(readEvent);
}

/** ReadResp.checkpoint = 3: Checkpoint{commit_position = 1, prepare_position = 2}. */
export function checkpointMessage(position: LogPosition): ReadResp {
  return new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint()
      .setCommitPosition(position.commit.toString())
      .setPreparePosition(position.prepare.toString()),
  );
}

/** ReadResp.stream_not_found = 4: StreamNotFound{stream_identifier = 1}. */
export function streamNotFoundMessage(name: string): ReadResp {
  return new ReadResp().setStreamNotFound(
    new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)),
  );
}

/** ReadResp.confirmation = 2: SubscriptionConfirmation{subscription_id = 1}. */
export function confirmationMessage(subscriptionId: string): ReadResp {
  return new ReadResp().setConfirmation(
    new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId),
  );
}

/** ReadResp.caught_up = 8. */
export function caughtUpMessage(): ReadResp {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}
