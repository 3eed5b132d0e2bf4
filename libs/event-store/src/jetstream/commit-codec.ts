import type { EventToAppend, RecordedEvent, Revision } from '../event-store.port';
import { toPosition } from './event-position';

/** Revision of the commit's last event: lets an append map an expected revision to a sequence. */
export const REVISION_HEADER = 'Kw-Revision';

/** What a commit message carries, whichever JetStream API delivered it. */
export interface CommitMessage {
  streamName: string;
  streamSequence: number;
  lastRevision: Revision;
  data: Uint8Array;
}

type StoredEvent = Pick<EventToAppend, 'id' | 'type' | 'data' | 'metadata'>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The body is a JSON array of the commit's events; a future shape would be an object. */
export function encodeCommit(events: readonly EventToAppend[]): Uint8Array {
  const stored = events.map(({ id, type, data, metadata }): StoredEvent => ({
    id,
    type,
    data,
    metadata,
  }));
  return encoder.encode(JSON.stringify(stored));
}

export function decodeCommit(message: CommitMessage): RecordedEvent[] {
  const stored = JSON.parse(decoder.decode(message.data)) as StoredEvent[];
  const firstRevision = message.lastRevision - BigInt(stored.length - 1);
  return stored.map((event, index) => ({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    streamName: message.streamName,
    revision: firstRevision + BigInt(index),
    position: toPosition(message.streamSequence, index),
  }));
}

export function parseRevisionHeader(value: string): Revision {
  if (!/^\d+$/.test(value)) throw new Error(`commit without a valid ${REVISION_HEADER} header`);
  return BigInt(value);
}
