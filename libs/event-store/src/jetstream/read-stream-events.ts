import type { RecordedEvent, Revision } from '../event-store.port';
import { decodeCommit } from './commit-codec';
import type { EventStreamContext } from './event-stream-context';
import type { CommitMessage } from './commit-codec';
import { readStreamHead, readSubjectCommits } from './stream-commit-reader';
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
  const commits = await readCommitsFrom(ctx, heads, streamName, subject, fromRevision);
  const last = commits[commits.length - 1];
  if (!last) return { events: [], head: heads.get(streamName) };
  const head = { revision: last.lastRevision, lastSubjectSequence: last.streamSequence };
  heads.remember(streamName, head);
  const events = commits
    .filter((commit) => commit.lastRevision >= fromRevision)
    .flatMap(decodeCommit)
    .filter((event) => event.revision >= fromRevision);
  return { events, head };
}

/*
 * A caller that already holds the stream up to the cached head (the command service keeps
 * folded streams) needs only what came after it: one direct get of the subject's last message
 * answers "nothing new", and otherwise the walk starts right after the cached head.
 */
async function readCommitsFrom(
  ctx: EventStreamContext,
  heads: StreamHeadCache,
  streamName: string,
  subject: string,
  fromRevision: Revision,
): Promise<CommitMessage[]> {
  const known = heads.get(streamName);
  if (fromRevision === 0n || !known || known.revision !== fromRevision - 1n) {
    return readSubjectCommits(ctx, subject);
  }
  const head = await readStreamHead(ctx, subject);
  if (!head || head.revision === known.revision) return [];
  return readSubjectCommits(ctx, subject, known.lastSubjectSequence + 1);
}
