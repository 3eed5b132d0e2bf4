/** Every request-reply answer: the data, or an error with a stable code. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ReplyError };

export interface FieldError {
  field: string;
  message: string;
}

export interface ReplyError {
  code: string;
  message: string;
  kind: ErrorKind;
  details?: Record<string, unknown>;
  fields?: FieldError[];
}

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unavailable'
  | 'internal';

const HTTP_STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
  internal: 500,
};

export function httpStatusOf(kind: ErrorKind): number {
  return HTTP_STATUS_BY_KIND[kind];
}

/** Thrown by clients when a reply carries an error, so callers can branch on `code`. */
export class ReplyErrorException extends Error {
  constructor(readonly error: ReplyError) {
    super(`${error.code}: ${error.message}`);
    this.name = 'ReplyErrorException';
  }
}
