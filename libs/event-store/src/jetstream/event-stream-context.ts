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
  /**
   * Set when the stream has replicas (a NATS cluster): single-message reads then go to its
   * leader through this manager. A direct get may be answered by any replica, and a follower
   * can lag what the leader has already acknowledged — a read barrier or a stream head taken
   * from it would be stale. Its timeout is short, so a request sent while the stream elects a
   * new leader (4–9 s on nats-server 2.9) is retried soon after the election, not 5 s after it.
   */
  readonly leaderReads?: JetStreamManager;
}

export function commitFromJsMsg(ctx: EventStreamContext, msg: JsMsg): CommitMessage {
  return {
    streamName: ctx.subjects.streamNameOf(msg.subject),
    streamSequence: msg.seq,
    lastRevision: parseRevisionHeader(msg.headers?.get(REVISION_HEADER) ?? ''),
    data: msg.data,
  };
}
