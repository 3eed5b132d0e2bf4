import { randomUUID } from 'node:crypto';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { comparePositions, type EventLog, type LogPosition, type StoredEvent } from './event-log';
import {
  caughtUpMessage,
  checkpointMessage,
  confirmationMessage,
  eventMessage,
  streamNotFoundMessage,
} from './messages';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;
type Options = ReadReq.Options;

/** EventStoreDB's default filter search window; checkpoints come every window × multiplier. */
const DEFAULT_MAX_SEARCH_WINDOW = 32;

/** Streams.Read: ReadReq.Options.stream_option is stream = 1 or all = 2. */
export function handleRead(log: EventLog, call: ReadCall): void {
  const options = call.request.getOptions();
  if (!options) {
    call.destroy(grpcError(status.INVALID_ARGUMENT, 'options are required'));
    return;
  }
  if (options.hasStream() && !options.hasSubscription()) return readStream(log, call, options);
  if (options.hasAll() && options.hasSubscription()) return subscribeToAll(log, call, options);
  if (options.hasAll()) return readAll(log, call, options);
  call.destroy(grpcError(status.UNIMPLEMENTED, 'stream subscriptions are not served here'));
}

/** StreamOptions{stream_identifier = 1, revision = 2 | start = 3 | end = 4}, read_direction = 3, count = 5. */
function readStream(log: EventLog, call: ReadCall, options: Options): void {
  const streamOptions = options.getStream() as ReadReq.Options.StreamOptions;
  const name = Buffer.from(
    streamOptions.getStreamIdentifier()?.getStreamName_asU8() ?? [],
  ).toString();
  const stream = log.stream(name);
  if (!stream) {
    call.write(streamNotFoundMessage(name));
    call.end();
    return;
  }
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  const from = streamOptions.hasRevision()
    ? BigInt(streamOptions.getRevision())
    : streamOptions.hasEnd() === !backwards
      ? BigInt(stream.length)
      : backwards
        ? BigInt(stream.length - 1)
        : 0n;
  const selected = backwards
    ? stream.filter((event) => event.revision <= from).reverse()
    : stream.filter((event) => event.revision >= from);
  for (const event of selected.slice(0, count(options))) call.write(eventMessage(event));
  call.end();
}

/** AllOptions{position = 1 | start = 2 | end = 3}; filter = 7 | no_filter = 8. */
function readAll(log: EventLog, call: ReadCall, options: Options): void {
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  const from = allFrom(options.getAll() as ReadReq.Options.AllOptions, log);
  const matches = eventFilter(options);
  const selected = backwards
    ? log.events.filter((event) => from === 'end' || comparePositions(event, from) < 0).reverse()
    : log.events.filter((event) => from !== 'end' && comparePositions(event, from) > 0);
  for (const event of selected.filter(matches).slice(0, count(options))) {
    call.write(eventMessage(event));
  }
  call.end();
}

/*
 * A catch-up subscription (count_option is subscription = 6): confirmation, the events after the
 * position, checkpoints while filtering, caught_up, then live events. The catch-up and the
 * listener registration happen in one tick, so no append falls between them.
 */
function subscribeToAll(log: EventLog, call: ReadCall, options: Options): void {
  const from = allFrom(options.getAll() as ReadReq.Options.AllOptions, log);
  const matches = eventFilter(options);
  const filter = options.getFilter();
  const checkpointEvery =
    (filter?.hasMax() ? filter.getMax() : DEFAULT_MAX_SEARCH_WINDOW) *
    Math.max(1, filter?.getCheckpointintervalmultiplier() ?? 1);
  let examined = 0;
  const deliver = (events: readonly StoredEvent[]) => {
    for (const event of events) {
      if (matches(event)) call.write(eventMessage(event));
      if (options.hasFilter() && ++examined % checkpointEvery === 0) {
        call.write(checkpointMessage(event));
      }
    }
  };
  call.write(confirmationMessage(randomUUID()));
  const backlog =
    from === 'end' ? [] : log.events.filter((event) => comparePositions(event, from) > 0);
  deliver(backlog);
  if (options.hasFilter() && backlog.length > 0) {
    call.write(checkpointMessage(backlog[backlog.length - 1]));
  }
  call.write(caughtUpMessage());
  const unsubscribe = log.onAppended(deliver);
  call.on('cancelled', unsubscribe);
  call.on('close', unsubscribe);
}

function allFrom(all: ReadReq.Options.AllOptions, log: EventLog): LogPosition | 'end' {
  if (all.hasPosition()) {
    const position = all.getPosition() as ReadReq.Options.Position;
    return {
      commit: BigInt(position.getCommitPosition()),
      prepare: BigInt(position.getPreparePosition()),
    };
  }
  if (all.hasEnd()) return log.events.length === 0 ? { commit: -1n, prepare: -1n } : 'end';
  return { commit: -1n, prepare: -1n };
}

/** FilterOptions{stream_identifier = 1 | event_type = 2} of Expression{regex = 1, prefix = 2}. */
function eventFilter(options: Options): (event: StoredEvent) => boolean {
  const filter = options.getFilter();
  if (!options.hasFilter() || !filter) return () => true;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) return () => true;
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  return (event) => {
    const value = onStream ? event.streamName : event.type;
    if (prefixes.length > 0) return prefixes.some((prefix) => value.startsWith(prefix));
    return regex ? regex.test(value) : true;
  };
}

function count(options: Options): number {
  return options.hasCount() ? Number(BigInt(options.getCount())) : Number.MAX_SAFE_INTEGER;
}

export function grpcError(code: status, details: string): Error {
  return Object.assign(new Error(details), { code, details });
}
