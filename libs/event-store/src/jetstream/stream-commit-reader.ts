import type { Consumer } from 'nats';
import type { CommitMessage } from './commit-codec';
import { directGet } from './direct-get';
import { commitFromJsMsg, type EventStreamContext } from './event-stream-context';
import type { StreamHead } from './stream-head-cache';
import { within } from './within-deadline';

/*
 * nats-server 2.9 has no batch direct get. Most streams hold a handful of commits, and walking
 * them with direct gets costs one round trip each and no server state; a long stream is cheaper
 * through a consumer, which costs a few round trips to set up and then streams.
 */
const DIRECT_WALK_LIMIT = 8;
const FETCH_BATCH = 1000;
const FETCH_EXPIRES_MS = 5000;
/*
 * nats.js makes an ordered consumer again and again until the server accepts it, and waits on a
 * fetch it lost to a reconnect: while a cluster fails over, either can take forever. A read that
 * cannot set up its consumer or get a batch within these bounds is abandoned as unavailable, so
 * it cannot hold up the command service's queue for its stream (issue 16, item 6).
 */
const CONSUMER_SETUP_DEADLINE_MS = 5000;
const FETCH_DEADLINE_MS = FETCH_EXPIRES_MS + 2000;
/** Deleted once read; the server drops one left behind by a crash after this. */
const CONSUMER_INACTIVE_THRESHOLD_MS = 30_000;
const ignore = (): void => undefined;

/**
 * Every commit of the subject from `startSequence` on, in order. A consumer serves what the
 * replica leading it has stored, which on a cluster may be behind what the stream's leader has
 * acknowledged (a command service deciding on that would answer "not found" for a key issued a
 * moment ago); so a read through a consumer ends at the subject's head as the leader knows it,
 * walking what the consumer did not have with single-message reads.
 */
export async function readSubjectCommits(
  ctx: EventStreamContext,
  subject: string,
  startSequence = 1,
): Promise<CommitMessage[]> {
  const commits = await walk(ctx, subject, startSequence, DIRECT_WALK_LIMIT);
  if (commits.length < DIRECT_WALK_LIMIT) return commits;
  commits.push(...(await readWithConsumer(ctx, subject, lastSequenceOf(commits) + 1)));
  const head = await readStreamHead(ctx, subject);
  const missed = head ? head.lastSubjectSequence - lastSequenceOf(commits) : 0;
  if (missed > 0) commits.push(...(await walk(ctx, subject, lastSequenceOf(commits) + 1, missed)));
  return commits;
}

/** Up to `limit` commits of the subject from `startSequence` on, one single-message read each. */
async function walk(
  ctx: EventStreamContext,
  subject: string,
  startSequence: number,
  limit: number,
): Promise<CommitMessage[]> {
  const commits: CommitMessage[] = [];
  let nextSequence = startSequence;
  while (commits.length < limit) {
    const commit = await directGet(ctx, { next_by_subj: subject, seq: nextSequence });
    if (!commit) break;
    commits.push(commit);
    nextSequence = commit.streamSequence + 1;
  }
  return commits;
}

function lastSequenceOf(commits: CommitMessage[]): number {
  return commits[commits.length - 1].streamSequence;
}

async function readWithConsumer(
  ctx: EventStreamContext,
  subject: string,
  startSequence: number,
): Promise<CommitMessage[]> {
  const consumer = await within(
    CONSUMER_SETUP_DEADLINE_MS,
    `setting up a read of ${subject}`,
    ctx.js.consumers.get(ctx.stream, {
      filterSubjects: subject,
      opt_start_seq: startSequence,
      inactive_threshold: CONSUMER_INACTIVE_THRESHOLD_MS,
    }),
  );
  let commits: CommitMessage[];
  try {
    commits = await fetchAll(ctx, consumer, subject);
  } catch (error) {
    consumer.delete().catch(ignore); // not awaited: the connection may be what failed
    throw error;
  }
  await consumer.delete().catch(ignore);
  return commits;
}

async function fetchAll(
  ctx: EventStreamContext,
  consumer: Consumer,
  subject: string,
): Promise<CommitMessage[]> {
  // The count at creation is the snapshot to read; later commits are not waited for.
  const { num_pending: total } = await within(
    CONSUMER_SETUP_DEADLINE_MS,
    `setting up a read of ${subject}`,
    consumer.info(true),
  );
  const commits: CommitMessage[] = [];
  while (commits.length < total) {
    const max_messages = Math.min(total - commits.length, FETCH_BATCH);
    const before = commits.length;
    await within(
      FETCH_DEADLINE_MS,
      `reading ${subject}`,
      (async () => {
        const batch = await consumer.fetch({ max_messages, expires: FETCH_EXPIRES_MS });
        for await (const msg of batch) commits.push(commitFromJsMsg(ctx, msg));
      })(),
    );
    if (commits.length === before) throw new Error(`reading ${subject} made no progress`);
  }
  return commits;
}

/** The stream's last revision and commit sequence, or undefined if it has no events. */
export async function readStreamHead(
  ctx: EventStreamContext,
  subject: string,
): Promise<StreamHead | undefined> {
  const commit = await directGet(ctx, { last_by_subj: subject });
  return commit && { revision: commit.lastRevision, lastSubjectSequence: commit.streamSequence };
}

/** The last commit in the whole store. */
export function readLastCommit(ctx: EventStreamContext): Promise<CommitMessage | undefined> {
  return directGet(ctx, { last_by_subj: ctx.subjects.all() });
}

export function readCommitAt(
  ctx: EventStreamContext,
  streamSequence: number,
): Promise<CommitMessage | undefined> {
  return directGet(ctx, { seq: streamSequence });
}
