import { parse as parseQuery } from 'node:querystring';
import {
  ID_PATTERNS,
  PERMISSION_NAMES,
  type FieldError,
  type InvalidReason,
  type Permission,
} from '@keyward/messaging';
import type { VerifierNode, Outcome } from '@keyward/verifier';
import { EdgeError } from '../http/edge-error';
import { recordVerifyOutcome } from '../metrics/metrics';
import type { Principal, PrincipalCache } from './principal-cache';

export { PRINCIPAL_HEADERS } from './principal-cache';

/** The forward-auth route; `/api/auth/v1/forward/<original path>` is the same route (Envoy). */
export const FORWARD_AUTH_PATH = '/api/auth/v1/forward';

/** The path of Envoy's form: the original path follows the prefix. */
export const FORWARD_AUTH_PREFIX = `${FORWARD_AUTH_PATH}/`;

/** What the proxy asks besides "is this a valid key": may it do `permission` on `resource`? */
export interface ForwardCheck {
  permission: Permission;
  resource: string;
}

/** Request headers naming the check, for Envoy (its path prefix carries no query string). */
export const CHECK_HEADERS = {
  permission: 'x-keyward-permission',
  resource: 'x-keyward-resource',
} as const;

const REALM = 'Bearer realm="keyward"';

/**
 * The check a forward-auth request asks for. On `/api/auth/v1/forward` it is the query string
 * (`?permission=write&resource=db:orders`, fixed in the proxy's configuration). On
 * `/api/auth/v1/forward/<path>` (Envoy ext_authz appends the original path and query to its
 * `path_prefix`) the query string is the client's and is ignored: the check comes from the
 * `X-Keyward-Permission` / `X-Keyward-Resource` headers the proxy adds. Neither: authentication
 * only. Both or neither are required; a bad value is `VALIDATION.FAILED` (a proxy
 * misconfiguration, never the client's fault).
 */
export function forwardCheckOf(
  prefixForm: boolean,
  query: Record<string, unknown>,
  headers: Record<string, string | string[] | undefined>,
): ForwardCheck | undefined {
  const permission = prefixForm ? headers[CHECK_HEADERS.permission] : query.permission;
  const resource = prefixForm ? headers[CHECK_HEADERS.resource] : query.resource;
  if (permission === undefined && resource === undefined) return undefined;
  const where = prefixForm ? 'header' : 'query parameter';
  const errors: FieldError[] = [];
  if (typeof resource !== 'string' || !ID_PATTERNS.resource.test(resource)) {
    errors.push({
      field: 'resource',
      message: `resource (${where}) must be * or an id like db:analytics`,
    });
  }
  if (!(PERMISSION_NAMES as readonly unknown[]).includes(permission)) {
    errors.push({
      field: 'permission',
      message: `permission (${where}) must be one of ${PERMISSION_NAMES.join(', ')}`,
    });
  }
  if (errors.length > 0) throw validationFailed(errors);
  return { permission: permission as Permission, resource: resource as string };
}

/** What `ForwardCheckCache` keeps per request form: a check, none (`null`), or its 400. */
type KnownCheck = ForwardCheck | null | EdgeError;

/**
 * `forwardCheckOf` for the fast path, remembered by the request's raw query string (or, in
 * Envoy's form, its two check headers): a proxy asks the same few checks again and again, so
 * parsing and validating each request's check again is wasted. A bad check is remembered as its
 * 400. At `maxEntries` the cache is emptied and refilled, so arbitrary query strings cost memory
 * only up to the bound.
 */
export class ForwardCheckCache {
  /** By raw query string (the plain form) and by check headers (Envoy's form). */
  private readonly byQuery = new Map<string, KnownCheck>();
  private readonly byHeaders = new Map<string, KnownCheck>();

  constructor(private readonly maxEntries = 1_000) {}

  /** The check of a request: `rawQuery` is the part after `?` ('' without one). */
  of(
    prefixForm: boolean,
    rawQuery: string,
    headers: Record<string, string | string[] | undefined>,
  ): ForwardCheck | undefined | EdgeError {
    const known = prefixForm ? this.byHeaders : this.byQuery;
    const cacheKey = prefixForm ? headerCheckKey(headers) : rawQuery;
    let check = cacheKey === undefined ? undefined : known.get(cacheKey);
    if (check === undefined) {
      try {
        check = forwardCheckOf(prefixForm, prefixForm ? {} : parseQuery(rawQuery), headers) ?? null;
      } catch (error) {
        if (!(error instanceof EdgeError)) throw error;
        check = error;
      }
      if (cacheKey !== undefined) {
        if (known.size >= this.maxEntries) known.clear();
        known.set(cacheKey, check);
      }
    }
    return check ?? undefined;
  }
}

/**
 * The cache key of Envoy's form: both check headers, which can hold neither a newline nor a NUL
 * (Node refuses such values), so the key is unambiguous. Repeated headers are not cached.
 */
function headerCheckKey(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const permission = headers[CHECK_HEADERS.permission];
  const resource = headers[CHECK_HEADERS.resource];
  if (Array.isArray(permission) || Array.isArray(resource)) return undefined;
  return `${permission ?? '\0'}\n${resource ?? '\0'}`;
}

/**
 * The response header with the store position the answer was decided at (SPEC rule 13), a
 * decimal string: on 200, 401, 403 and 503; absent on 400 and 500, and while the node has
 * applied nothing (an empty store).
 */
export const POSITION_HEADER = 'x-keyward-position';

/**
 * 200 with the principal headers, or the refusal to answer; `position` is the verifier node's
 * applied position when it decided (the outcome's), or for a request without a credential the
 * node's applied position when it was refused. Undefined for a refusal the node did not decide
 * (a bad check, an internal error).
 */
export type ForwardAuthAnswer =
  | { allowed: true; principal: Principal; position: string | null }
  | { allowed: false; error: EdgeError; position?: string | null };

/** The answer's error with `X-Keyward-Position` added, for the Nest route's error filter. */
export function withPosition(error: EdgeError, position: string | null | undefined): EdgeError {
  if (position === null || position === undefined) return error;
  return new EdgeError(error.status, error.body, { ...error.headers, [POSITION_HEADER]: position });
}

/**
 * The one forward-auth decision for a request whose check (`forwardCheckOf`, a 400 when it is
 * not one) is known, answered by the gateway's verifier node and counted in the verify
 * outcomes: 401 without a valid credential, 403 when the key may not do the check, 503 while
 * the node is not caught up. Synchronous unless the node must pass its read barrier first (a
 * key issued a moment ago). The fast path and the Nest route both call it.
 */
export function answerForwardAuth(
  node: VerifierNode,
  principals: PrincipalCache,
  authorization: string | string[] | undefined,
  check: ForwardCheck | undefined,
): ForwardAuthAnswer | Promise<ForwardAuthAnswer> {
  if (typeof authorization !== 'string' || authorization === '') {
    recordVerifyOutcome('missing');
    return { allowed: false, error: MISSING_CREDENTIAL, position: node.appliedPosition };
  }
  const outcome = node.verify(authorization);
  return outcome instanceof Promise
    ? outcome.then((settled) => decide(principals, settled, check))
    : decide(principals, outcome, check);
}

function decide(
  principals: PrincipalCache,
  outcome: Outcome,
  check: ForwardCheck | undefined,
): ForwardAuthAnswer {
  recordVerifyOutcome(outcome.valid ? 'valid' : outcome.reason);
  const { position } = outcome;
  if (!outcome.valid) return { allowed: false, error: refusalOf(outcome.reason), position };
  const principal = principals.get(outcome.key, check?.resource);
  if (check && !principal.permissions.includes(check.permission)) {
    return { allowed: false, error: forbidden(check), position };
  }
  return { allowed: true, principal, position };
}

/** 401 for a request without a credential: the challenge only. */
export const MISSING_CREDENTIAL = new EdgeError(
  401,
  { code: 'AUTH.MISSING_CREDENTIAL', message: 'an Authorization header is required' },
  { 'www-authenticate': REALM },
);

/**
 * One answer for every invalid credential (malformed, unknown, revoked, expired, deleted), as
 * the command service gives: the caller learns nothing about which.
 */
export const INVALID_CREDENTIAL = new EdgeError(
  401,
  { code: 'AUTH.INVALID_CREDENTIAL', message: 'the credential is not valid' },
  { 'www-authenticate': `${REALM}, error="invalid_token"` },
);

/** G2: the node cannot prove it is caught up with the store, so it accepts nothing. */
export const NOT_SERVING = new EdgeError(
  503,
  {
    code: 'SERVICE.UNAVAILABLE',
    message: 'the gateway is not caught up with the event store; retry',
  },
  { 'retry-after': '1' },
);

/** The refusal for an invalid outcome. */
export function refusalOf(reason: InvalidReason): EdgeError {
  return reason === 'unavailable' ? NOT_SERVING : INVALID_CREDENTIAL;
}

export function forbidden(check: ForwardCheck): EdgeError {
  return new EdgeError(403, {
    code: 'AUTH.FORBIDDEN',
    message: `the key may not ${check.permission} on ${check.resource}`,
  });
}

export function validationFailed(fields: FieldError[]): EdgeError {
  const details = fields.map((f) => ({ field: f.field, problem: f.message }));
  return EdgeError.invalid(
    'VALIDATION.FAILED',
    `invalid request: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
    details,
  );
}
