import type {
  AllStreamRecordedEvent,
  RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { RecordedEvent } from '../event-store.port';
import { toPosition } from './esdb-position';

export function toRecordedEvent(
  recorded: AllStreamRecordedEvent | EsdbRecordedEvent,
  streamPrefix = '',
): RecordedEvent {
  if (!recorded.position) {
    throw new Error(`event ${recorded.id} of ${recorded.streamId} came without a position`);
  }
  return {
    id: recorded.id,
    type: recorded.type,
    data: recorded.data,
    metadata: recorded.metadata,
    streamName: recorded.streamId.slice(streamPrefix.length),
    revision: recorded.revision,
    position: toPosition(recorded.position),
  };
}
