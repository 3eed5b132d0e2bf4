import { createHash } from 'node:crypto';
import type { EventToAppend, ExpectedRevision } from '../event-store.port';

/*
 * The Nats-Msg-Id of an append: the same events retried with the same expectation get the same
 * id, so JetStream drops the retry within its duplicate window and answers with the original
 * sequence. The stream and expectation are part of it so that the same ids appended elsewhere
 * are a different append.
 */
export function commitMessageId(
  streamName: string,
  expectedRevision: ExpectedRevision,
  events: readonly EventToAppend[],
): string {
  const key = JSON.stringify([streamName, String(expectedRevision), events.map((e) => e.id)]);
  return createHash('sha256').update(key).digest('base64url');
}
