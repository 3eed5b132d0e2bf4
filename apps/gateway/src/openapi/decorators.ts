import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiParam,
  ApiQuery,
  ApiSecurity,
} from '@nestjs/swagger';
import { FIELD_BOUNDS, HEADERS, QUERY_LIMITS, TEXT_LIMITS } from '@keyward/messaging';
import { ApiErrors } from './error.schema';
import {
  AUDIT_ACTION_NAMES,
  AUDIT_ENTRY_ID_PATTERN,
  CURSOR_MAX_LENGTH,
  ID,
  IDEMPOTENCY_KEY_PATTERN,
  EPOCH_SECONDS_SCHEMA,
  nameFilter,
} from './fields';

/** Security scheme names of the document (see `openapi/setup-openapi.ts`). */
export const SECURITY = {
  bearer: 'bearer',
  basic: 'basic',
  bareKey: 'key',
  operatorToken: 'operatorToken',
} as const;

/**
 * Routes that authenticate the caller's `Authorization` header: Bearer, a bare key, or Basic
 * (service-account id and key) for accounts with `enableBasicAuth`; each one is enough.
 */
export function ApiCaller() {
  return applyDecorators(
    ApiBearerAuth(SECURITY.bearer),
    ApiBasicAuth(SECURITY.basic),
    ApiSecurity(SECURITY.bareKey),
    ApiErrors(401, 403),
  );
}

/** `orgId`: defaults to the caller's organization and must be it (another one answers 404). */
export function ApiOrgId() {
  return applyDecorators(
    ApiQuery({
      name: 'orgId',
      required: false,
      description: "The caller's organization (the default); any other answers 404",
      schema: { ...ID.orgId },
    }),
    ApiErrors(404),
  );
}

export function ApiPage() {
  return applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      description: `Page size (default ${QUERY_LIMITS.defaultPageSize})`,
      schema: {
        type: 'integer',
        minimum: FIELD_BOUNDS.pageLimit.min,
        maximum: FIELD_BOUNDS.pageLimit.max,
        default: QUERY_LIMITS.defaultPageSize,
      },
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description:
        '`nextCursor` of the previous page: opaque, bound to the organization, the query and its filters (`QUERY.INVALID_CURSOR` otherwise)',
      schema: { type: 'string', maxLength: CURSOR_MAX_LENGTH },
    }),
  );
}

export function ApiPathId(name: string, kind: keyof typeof ID) {
  return ApiParam({ name, required: true, schema: { ...ID[kind] } });
}

/** A JSON body (optional when every field is), and the refusals of the body itself. */
export function ApiJsonBody(type: Type<unknown>, description: string, required = true) {
  return applyDecorators(ApiBody({ type, description, required }), ApiErrors(400, 413, 415));
}

/** Commands that write: a retry with the same `Idempotency-Key` applies once. */
export function ApiIdempotent() {
  return applyDecorators(
    ApiHeader({
      name: HEADERS.idempotencyKey,
      required: false,
      description:
        'A retry with the same key applies once and answers as the first time (an issued ' +
        "key's secret only in the first reply); the same key on a different request is 422",
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
    }),
    ApiErrors(422),
  );
}

/** The audit filters of `GET /api/audit/v1/entry` and `/export`. */
export function ApiAuditFilters() {
  return applyDecorators(
    ApiQuery({
      name: 'actor',
      required: false,
      description: 'Who acted: a member or service-account id, or `operator`',
      schema: nameFilter('An id', TEXT_LIMITS.auditFilter),
    }),
    ApiQuery({
      name: 'target',
      required: false,
      description: "What it acted on; a principal also matches its keys' entries",
      schema: nameFilter('An id', TEXT_LIMITS.auditFilter),
    }),
    ApiQuery({
      name: 'action',
      required: false,
      schema: { type: 'string', enum: AUDIT_ACTION_NAMES },
    }),
    ApiQuery({
      name: 'from',
      required: false,
      description: 'Epoch seconds, inclusive',
      schema: EPOCH_SECONDS_SCHEMA,
    }),
    ApiQuery({
      name: 'to',
      required: false,
      description: 'Epoch seconds, exclusive',
      schema: EPOCH_SECONDS_SCHEMA,
    }),
    ApiQuery({
      name: 'after',
      required: false,
      description: 'Start after this entry id (ev_… or us_…): how an interrupted export resumes',
      schema: { type: 'string', pattern: AUDIT_ENTRY_ID_PATTERN },
    }),
  );
}
