import { httpStatusOf, type ReplyError } from '@keyward/messaging';

/** The one HTTP error body (README: The HTTP API): the same stable code as over NATS. */
export interface EdgeErrorBody {
  code: string;
  message: string;
  details?: { field: string; problem: string }[];
}

/**
 * Codes whose HTTP status is not their kind's (README: The HTTP API): idempotency-key reuse is 422, and
 * another organization's id is 404 — the same answer as an id that does not exist.
 */
const STATUS_BY_CODE: Record<string, number> = {
  'IDEMPOTENCY.KEY_REUSED': 422,
  'AUTH.ORG_MISMATCH': 404,
};

/** A refusal to send as an HTTP response: thrown by routes, answered by the filter. */
export class EdgeError extends Error {
  constructor(
    readonly status: number,
    readonly body: EdgeErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = 'EdgeError';
  }

  static fromReply(error: ReplyError): EdgeError {
    const status = STATUS_BY_CODE[error.code] ?? httpStatusOf(error.kind) ?? 500;
    return new EdgeError(status, edgeBodyOf(error));
  }

  static invalid(code: string, message: string, details?: EdgeErrorBody['details']): EdgeError {
    return new EdgeError(400, { code, message, ...(details ? { details } : {}) });
  }
}

/** A NATS reply error as the HTTP error body: `fields` become `details`. */
export function edgeBodyOf(error: ReplyError): EdgeErrorBody {
  const details =
    error.fields?.map((f) => ({ field: f.field, problem: f.message })) ??
    shortfallDetails(error.details);
  return {
    code: error.code,
    message: error.message,
    ...(details && details.length > 0 ? { details } : {}),
  };
}

/** A least-privilege refusal names each resource that falls short, as a detail of `resources`. */
function shortfallDetails(
  details: Record<string, unknown> | undefined,
): EdgeErrorBody['details'] | undefined {
  const shortfalls = details?.shortfalls;
  if (!Array.isArray(shortfalls)) return undefined;
  return (shortfalls as { resource: string; missing: string[] }[]).map((shortfall) => ({
    field: 'resources',
    problem: `${shortfall.resource}: you may not grant ${shortfall.missing.join(', ')}`,
  }));
}
