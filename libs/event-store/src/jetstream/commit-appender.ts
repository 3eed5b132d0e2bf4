import { headers, type NatsError } from 'nats';
import { WrongExpectedRevisionError } from '../errors';
import type { AppendResult, EventToAppend, ExpectedRevision } from '../event-store.port';
import { encodeCommit, REVISION_HEADER } from './commit-codec';
import { commitMessageId } from './commit-message-id';
import { MAX_EVENTS_PER_COMMIT, toPosition } from './event-position';
import type { EventStreamContext } from './event-stream-context';
import { readStreamEvents } from './read-stream-events';
import { readCommitAt, readStreamHead } from './stream-commit-reader';
import type { StreamHead, StreamHeadCache } from './stream-head-cache';

const WRONG_LAST_SEQUENCE = 10071;
/** 'any' re-reads the head and tries again when another writer got in between. */
const MAX_ATTEMPTS_FOR_ANY = 10;

interface Append {
  streamName: string;
  subject: string;
  events: readonly EventToAppend[];
  expected: ExpectedRevision;
  messageId: string;
}

/*
 * Every append is conditional on the stream's last commit sequence (0 when it must not exist),
 * even with 'any': the commit records its revision in a header, which is only right if nobody
 * appended in between.
 */
export class CommitAppender {
  constructor(
    private readonly ctx: EventStreamContext,
    private readonly heads: StreamHeadCache,
  ) {}

  async append(
    streamName: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    assertAppendable(events);
    const subject = this.ctx.subjects.forStream(streamName);
    const messageId = commitMessageId(streamName, expected, events);
    const append: Append = { streamName, subject, events, expected, messageId };
    for (let attempt = 1; ; attempt++) {
      const head = await this.headFor(append);
      if (!satisfies(head, expected)) return this.resolveConflict(append);
      const result = await this.publish(append, head);
      if (result) return result;
      this.heads.forget(streamName);
      if (expected !== 'any') return this.resolveConflict(append);
      if (attempt === MAX_ATTEMPTS_FOR_ANY) {
        throw new WrongExpectedRevisionError(streamName, expected, 'unknown');
      }
    }
  }

  private async headFor({
    streamName,
    subject,
    expected,
  }: Append): Promise<StreamHead | undefined> {
    const cached = this.heads.get(streamName);
    // A cached head behind the expected revision may just be stale; one ahead is a conflict.
    if (cached && (typeof expected !== 'bigint' || cached.revision >= expected)) return cached;
    // The server itself checks that the stream does not exist yet.
    if (expected === 'no_stream') return undefined;
    const head = await readStreamHead(this.ctx, subject);
    if (head) this.heads.remember(streamName, head);
    return head;
  }

  /** Undefined when the server says another commit came first. */
  private async publish(
    append: Append,
    head: StreamHead | undefined,
  ): Promise<AppendResult | undefined> {
    const lastRevision = (head?.revision ?? -1n) + BigInt(append.events.length);
    const messageHeaders = headers();
    messageHeaders.set(REVISION_HEADER, String(lastRevision));
    try {
      const ack = await this.ctx.js.publish(append.subject, encodeCommit(append.events), {
        msgID: append.messageId,
        expect: { lastSubjectSequence: head?.lastSubjectSequence ?? 0 },
        headers: messageHeaders,
      });
      if (ack.duplicate) return this.originalResult(append, ack.seq);
      this.heads.remember(append.streamName, {
        revision: lastRevision,
        lastSubjectSequence: ack.seq,
      });
      return {
        nextExpectedRevision: lastRevision,
        position: toPosition(ack.seq, append.events.length - 1),
      };
    } catch (error) {
      if ((error as NatsError).api_error?.err_code === WRONG_LAST_SEQUENCE) return undefined;
      throw error;
    }
  }

  /** JetStream dropped a retry inside its duplicate window and named the original commit. */
  private async originalResult(append: Append, streamSequence: number): Promise<AppendResult> {
    const original = await readCommitAt(this.ctx, streamSequence);
    if (!original) throw new Error(`duplicate of commit ${streamSequence}, which cannot be read`);
    return {
      nextExpectedRevision: original.lastRevision,
      position: toPosition(streamSequence, append.events.length - 1),
    };
  }

  /** EventStoreDB's rule: the same events already right after the expected revision succeed. */
  private async resolveConflict(append: Append): Promise<AppendResult> {
    const { streamName, events, expected } = append;
    if (expected === 'any') throw new WrongExpectedRevisionError(streamName, expected, 'unknown');
    const from = expected === 'no_stream' ? 0n : expected + 1n;
    const stored = await readStreamEvents(this.ctx, this.heads, streamName, from);
    const candidates = stored.events.slice(0, events.length);
    if (candidates.length === events.length && candidates.every((e, i) => e.id === events[i].id)) {
      const last = candidates[candidates.length - 1];
      return { nextExpectedRevision: last.revision, position: last.position };
    }
    throw new WrongExpectedRevisionError(
      streamName,
      expected,
      stored.head?.revision ?? 'no_stream',
    );
  }
}

function satisfies(head: StreamHead | undefined, expected: ExpectedRevision): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return head === undefined;
  return head?.revision === expected;
}

function assertAppendable(events: readonly EventToAppend[]): void {
  if (events.length === 0) throw new RangeError('an append needs at least one event');
  if (events.length > MAX_EVENTS_PER_COMMIT) {
    throw new RangeError(
      `an append holds at most ${MAX_EVENTS_PER_COMMIT} events (got ${events.length}): ` +
        'positions keep the index within a commit in 16 bits',
    );
  }
}
