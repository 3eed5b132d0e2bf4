import { status, type sendUnaryData, type ServerReadableStream } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, EventLog, Expected, ProposedEvent } from './event-log';

type AppendCall = ServerReadableStream<AppendReq, AppendResp>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/*
 * Streams.Append: the first AppendReq carries options = 1 (stream_identifier = 1 and the
 * expected_stream_revision oneof), each later one a proposed_message = 2
 * (ProposedMessage{id = 1, metadata = 2 with "type" and "content-type", custom_metadata = 3,
 * data = 4}). The write happens when the client half-closes.
 */
export function handleAppend(
  log: EventLog,
  call: AppendCall,
  callback: sendUnaryData<AppendResp>,
): void {
  let options: AppendReq.Options | undefined;
  const proposed: ProposedEvent[] = [];
  call.on('data', (request: AppendReq) => {
    if (request.hasOptions()) options = request.getOptions();
    const message = request.getProposedMessage();
    if (!message) return;
    const metadata = message.getMetadataMap();
    proposed.push({
      // EventStoreDB parses the id as a Guid and hands it back in lower-case "D" format.
      id: (message.getId()?.getString() ?? '').toLowerCase(),
      type: metadata.get('type') ?? '',
      contentType: metadata.get('content-type') ?? 'application/octet-stream',
      data: message.getData_asU8(),
      customMetadata: message.getCustomMetadata_asU8(),
    });
  });
  call.on('error', () => undefined);
  call.on('end', () => {
    if (!options)
      return callback({ code: status.INVALID_ARGUMENT, details: 'options are required' });
    const badId = proposed.find((event) => !UUID.test(event.id));
    if (badId) {
      return callback({ code: status.INVALID_ARGUMENT, details: `invalid event id ${badId.id}` });
    }
    const streamName = Buffer.from(
      options.getStreamIdentifier()?.getStreamName_asU8() ?? [],
    ).toString();
    const expected = expectedRevision(options);
    const outcome = log.append(streamName, expected, proposed);
    callback(null, toResponse(outcome, expected));
  });
}

/** revision = 2 | no_stream = 3 | any = 4 | stream_exists = 5 */
function expectedRevision(options: AppendReq.Options): Expected {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

/*
 * AppendResp.success = 1: Success{current_revision = 1, position = 3 (commit_position = 1,
 * prepare_position = 2)}; wrong_expected_version = 2: WrongExpectedVersion{current_revision = 6
 * | current_no_stream = 7, expected_revision = 8 | expected_any = 9 | expected_stream_exists = 10
 * | expected_no_stream = 11}. Like the real server, a wrong expected version is an answer, not
 * a gRPC error.
 */
function toResponse(outcome: AppendOutcome, expected: Expected): AppendResp {
  if (outcome.kind === 'success') {
    const position = new AppendResp.Position()
      .setCommitPosition(outcome.commit.toString())
      .setPreparePosition(outcome.prepare.toString());
    return new AppendResp().setSuccess(
      new AppendResp.Success()
        .setCurrentRevision(outcome.currentRevision.toString())
        .setPosition(position),
    );
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(outcome.current.toString());
  if (typeof expected === 'bigint') wrong.setExpectedRevision(expected.toString());
  else if (expected === 'no_stream') wrong.setExpectedNoStream(new Empty());
  else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
  else wrong.setExpectedAny(new Empty());
  return new AppendResp().setWrongExpectedVersion(wrong);
}
