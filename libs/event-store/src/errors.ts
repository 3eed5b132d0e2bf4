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

/** The store did not answer in time (a node lost, a leader being elected): retry later. */
export class StoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE.UNAVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
