import type { JetStreamClient, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { parseRevisionHeader, REVISION_HEADER, type CommitMessage } from './commit-codec';
import type { StreamSubjects } from './stream-subjects';

/** What the adapter's parts share: the clients, the JetStream stream and the subject mapping. */
export interface EventStreamContext {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly stream: string;
  readonly subjects: StreamSubjects;
}

export function commitFromJsMsg(ctx: EventStreamContext, msg: JsMsg): CommitMessage {
  return {
    streamName: ctx.subjects.streamNameOf(msg.subject),
    streamSequence: msg.seq,
    lastRevision: parseRevisionHeader(msg.headers?.get(REVISION_HEADER) ?? ''),
    data: msg.data,
  };
}
