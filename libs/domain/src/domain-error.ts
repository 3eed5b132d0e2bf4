import type { ErrorCode } from './error-codes';

/** A refused command. `code` is stable: clients and the exception filter key on it. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
