import type { ExpectedRevision, Revision } from './event-store.port';

export class WrongExpectedRevisionError extends Error {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: Revision | 'no_stream' | 'unknown',
  ) {
    super(`stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class InvalidStreamNameError extends Error {
  readonly code = 'EVENT_STORE.INVALID_STREAM_NAME';
  constructor(readonly streamName: string) {
    super(`invalid stream name: ${JSON.stringify(streamName)}`);
    this.name = 'InvalidStreamNameError';
  }
}
