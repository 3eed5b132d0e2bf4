import {
  checkJsError,
  DirectMsgHeaders,
  type JetStreamManager,
  type Msg,
  type NatsError,
} from 'nats';
import { parseRevisionHeader, REVISION_HEADER, type CommitMessage } from './commit-codec';
import type { EventStreamContext } from './event-stream-context';

export type DirectGetQuery =
  { seq: number } | { last_by_subj: string } | { next_by_subj: string; seq: number };

const NOT_FOUND = 404;
const encoder = new TextEncoder();

/*
 * JetStream's direct get (allow_direct) answers with the stored message itself, headers and raw
 * body, instead of a JSON document with a base64 body. nats.js keeps its direct API off the
 * public JetStreamManager type, so this speaks the request directly. On a replicated stream any
 * replica may answer a direct get, so there the leader's message get is used instead
 * (`leaderReads`).
 */
export async function directGet(
  ctx: EventStreamContext,
  query: DirectGetQuery,
): Promise<CommitMessage | undefined> {
  if (ctx.leaderReads) return leaderGet(ctx, ctx.leaderReads, query);
  const reply = await ctx.nc.request(
    `$JS.API.DIRECT.GET.${ctx.stream}`,
    encoder.encode(JSON.stringify(query)),
  );
  if (reply.headers?.code === NOT_FOUND) return undefined;
  const error = checkJsError(reply);
  if (error) throw error;
  return commitFromDirectReply(ctx, reply);
}

function commitFromDirectReply(ctx: EventStreamContext, reply: Msg): CommitMessage {
  const headers = reply.headers;
  if (!headers) throw new Error('direct get answered without headers');
  return {
    streamName: ctx.subjects.streamNameOf(headers.last(DirectMsgHeaders.Subject)),
    streamSequence: Number(headers.last(DirectMsgHeaders.Sequence)),
    lastRevision: parseRevisionHeader(headers.last(REVISION_HEADER)),
    data: reply.data,
  };
}

/** The stream leader's answer: never behind what it has acknowledged to a writer. */
async function leaderGet(
  ctx: EventStreamContext,
  leader: JetStreamManager,
  query: DirectGetQuery,
): Promise<CommitMessage | undefined> {
  try {
    const stored = await leader.streams.getMessage(ctx.stream, query);
    return {
      streamName: ctx.subjects.streamNameOf(stored.subject),
      streamSequence: stored.seq,
      lastRevision: parseRevisionHeader(stored.header.get(REVISION_HEADER)),
      data: stored.data,
    };
  } catch (error) {
    if ((error as NatsError).api_error?.code === NOT_FOUND) return undefined;
    throw error;
  }
}
