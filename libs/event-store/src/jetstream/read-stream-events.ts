import type { RecordedEvent, Revision } from '../event-store.port';
import { decodeCommit } from './commit-codec';
import type { EventStreamContext } from './event-stream-context';
import { readSubjectCommits } from './stream-commit-reader';
import type { StreamHead, StreamHeadCache } from './stream-head-cache';

export interface StreamEvents {
  events: RecordedEvent[];
  /** Undefined when the stream has no events. */
  head: StreamHead | undefined;
}

/** The stream's events from `fromRevision` on; what it learns of the head goes to the cache. */
export async function readStreamEvents(
  ctx: EventStreamContext,
  heads: StreamHeadCache,
  streamName: string,
  fromRevision: Revision = 0n,
): Promise<StreamEvents> {
  const subject = ctx.subjects.forStream(streamName);
  const commits = await readSubjectCommits(ctx, subject);
  const last = commits[commits.length - 1];
  if (!last) return { events: [], head: undefined };
  const head = { revision: last.lastRevision, lastSubjectSequence: last.streamSequence };
  heads.remember(streamName, head);
  const events = commits
    .filter((commit) => commit.lastRevision >= fromRevision)
    .flatMap(decodeCommit)
    .filter((event) => event.revision >= fromRevision);
  return { events, head };
}
