import type { ErrorKind, FieldError } from '@keyward/messaging';

/** A refusal raised by the command service itself (not the domain): auth, validation, conflicts. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}
