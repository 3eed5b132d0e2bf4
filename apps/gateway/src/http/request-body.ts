import { EdgeError } from './edge-error';

type Fixed = Record<string, string | undefined>;

/**
 * The NATS body of a route: the JSON body with the path's ids and the `orgId` query parameter
 * added. A field the path or query already names may not come in the body too.
 */
export function bodyWith(body: unknown, fixed: Fixed): Record<string, unknown> {
  const object = body === undefined || body === null ? {} : body;
  if (typeof object !== 'object' || Array.isArray(object)) {
    throw EdgeError.invalid('REQUEST.NOT_AN_OBJECT', 'request body must be a JSON object');
  }
  const record = object as Record<string, unknown>;
  const clashes = Object.keys(fixed).filter(
    (name) => fixed[name] !== undefined && Object.prototype.hasOwnProperty.call(record, name),
  );
  if (clashes.length > 0) {
    const details = clashes.map((field) => ({
      field,
      problem: `${field} is given in the path or query string, not in the body`,
    }));
    throw EdgeError.invalid(
      'VALIDATION.FAILED',
      `invalid request: ${details.map((d) => `${d.field}: ${d.problem}`).join('; ')}`,
      details,
    );
  }
  return { ...record, ...defined(fixed) };
}

/** Query parameters that are numbers on the wire of the NATS API. */
const NUMERIC = new Set(['limit', 'from', 'to', 'time', 'days']);

/**
 * A query string as the body of a NATS query: numeric parameters become numbers when they are
 * plain digits (anything else goes through as text, for the service to refuse with its field).
 */
export function queryBody(
  query: Record<string, unknown>,
  fixed: Fixed = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    body[name] =
      NUMERIC.has(name) && typeof value === 'string' && /^\d{1,16}$/.test(value)
        ? Number(value)
        : value;
  }
  return { ...body, ...defined(fixed) };
}

function defined(fixed: Fixed): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fixed).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
