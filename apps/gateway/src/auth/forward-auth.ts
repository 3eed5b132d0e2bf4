import { effectivePermissions } from '@keyward/domain';
import {
  ID_PATTERNS,
  PERMISSION_NAMES,
  type FieldError,
  type InvalidReason,
  type Permission,
} from '@keyward/messaging';
import { keyIdOf, type IndexedKey } from '../../../auth-verifier/src/key-index/key-index';
import type { VerifierNode } from '../../../auth-verifier/src/verifier-node';
import type { Outcome } from '../../../auth-verifier/src/verify/verification';
import { EdgeError } from '../http/edge-error';
import { recordVerifyOutcome } from '../metrics/metrics';

/** The forward-auth route; `/api/auth/v1/forward/<original path>` is the same route (Envoy). */
export const FORWARD_AUTH_PATH = '/api/auth/v1/forward';

/** The path of Envoy's form: the original path follows the prefix. */
export const FORWARD_AUTH_PREFIX = `${FORWARD_AUTH_PATH}/`;

/** What the proxy asks besides "is this a valid key": may it do `permission` on `resource`? */
export interface ForwardCheck {
  permission: Permission;
  resource: string;
}

/** The response headers a proxy copies onto the request it lets through. */
export const PRINCIPAL_HEADERS = {
  principal: 'x-keyward-principal',
  principalKind: 'x-keyward-principal-kind',
  org: 'x-keyward-org',
  keyId: 'x-keyward-key-id',
  role: 'x-keyward-role',
  permissions: 'x-keyward-permissions',
} as const;

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

/**
 * Who the key belongs to, as headers. `X-Keyward-Role` is a service account's one role (absent
 * for a member, whose role differs per resource); `X-Keyward-Permissions` is what the key may
 * do on the checked resource, or without a check every permission it holds on some resource.
 */
export function principalHeaders(key: IndexedKey, check?: ForwardCheck): Record<string, string> {
  const { owner } = key;
  const permissions = check
    ? effectivePermissions(owner.grants, check.resource)
    : owner.permissions;
  const headers: Record<string, string> = {
    [PRINCIPAL_HEADERS.principal]: owner.id,
    [PRINCIPAL_HEADERS.principalKind]: owner.kind,
    [PRINCIPAL_HEADERS.org]: owner.orgId,
    [PRINCIPAL_HEADERS.keyId]: keyIdOf(key),
    [PRINCIPAL_HEADERS.permissions]: permissions.join(','),
  };
  if (owner.role !== null) headers[PRINCIPAL_HEADERS.role] = owner.role;
  return headers;
}

/** A forward-auth request as both of its transports see it (the fast path and the Nest route). */
export interface ForwardAuthRequest {
  /** `/api/auth/v1/forward/<original path>` (Envoy): the check comes from headers. */
  prefixForm: boolean;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** 200 with the principal headers, or the refusal to answer. */
export type ForwardAuthAnswer =
  { allowed: true; headers: Record<string, string> } | { allowed: false; error: EdgeError };

/**
 * The one forward-auth decision, answered by the gateway's verifier node and counted in the
 * verify outcomes: 401 without a valid credential (before any check is considered), 400 for a
 * check that is not one, 403 when the key may not do it, 503 while the node is not caught up.
 * Synchronous unless the node must pass its read barrier first (a key issued a moment ago).
 */
export function answerForwardAuth(
  node: VerifierNode,
  request: ForwardAuthRequest,
): ForwardAuthAnswer | Promise<ForwardAuthAnswer> {
  let check: ForwardCheck | undefined;
  try {
    check = forwardCheckOf(request.prefixForm, request.query, request.headers);
  } catch (error) {
    return { allowed: false, error: error as EdgeError };
  }
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string' || authorization === '') {
    recordVerifyOutcome('missing');
    return { allowed: false, error: MISSING_CREDENTIAL };
  }
  const outcome = node.verify(authorization);
  return outcome instanceof Promise
    ? outcome.then((settled) => decide(settled, check))
    : decide(outcome, check);
}

function decide(outcome: Outcome, check: ForwardCheck | undefined): ForwardAuthAnswer {
  recordVerifyOutcome(outcome.valid ? 'valid' : outcome.reason);
  if (!outcome.valid) return { allowed: false, error: refusalOf(outcome.reason) };
  if (check && !mayDo(outcome.key, check)) return { allowed: false, error: forbidden(check) };
  return { allowed: true, headers: principalHeaders(outcome.key, check) };
}

export function mayDo(key: IndexedKey, check: ForwardCheck): boolean {
  return effectivePermissions(key.owner.grants, check.resource).includes(check.permission);
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
