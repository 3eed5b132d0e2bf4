import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { REQUEST_BODY_LIMITS } from '@keyward/messaging';

export class FieldProblemSchema {
  @ApiProperty({ description: 'The field, as a dotted path (`grants.0.role`)', example: 'name' })
  field!: string;

  @ApiProperty({ description: 'What is wrong with it', example: 'name must not be blank' })
  problem!: string;
}

/** The one error body of the HTTP API (README), for every refusal the gateway answers. */
export class ErrorBodySchema {
  @ApiProperty({
    description:
      'Stable code, the same as over NATS (`VALIDATION.FAILED`, `SERVICE_ACCOUNT.NAME_TAKEN`, ' +
      '`AUTH.LEAST_PRIVILEGE`, `RATE_LIMITED`, …); clients key on it',
    example: 'VALIDATION.FAILED',
  })
  code!: string;

  @ApiProperty({ description: 'For people; may change', example: 'invalid request: name: …' })
  message!: string;

  @ApiPropertyOptional({
    type: () => [FieldProblemSchema],
    description: 'One entry per bad field (`VALIDATION.FAILED`)',
  })
  details?: FieldProblemSchema[];
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400:
    'Invalid request: malformed JSON, not an object, a field the service refuses ' +
    '(`VALIDATION.FAILED` lists each in `details`), an invalid cursor or header',
  401:
    'No credential, or one that is malformed, unknown, revoked, expired or of a deleted ' +
    'account (`AUTH.INVALID_CREDENTIAL`)',
  403: 'The caller may not do this (`AUTH.FORBIDDEN`, `AUTH.LEAST_PRIVILEGE`, …)',
  404:
    'No such account, key, member or organization — or one of another organization ' +
    '(`AUTH.ORG_MISMATCH` answers 404 too)',
  409: 'Conflict with the current state (a name taken, a limit reached, already exists, …)',
  413: `Body larger than ${REQUEST_BODY_LIMITS.maxBytes} bytes (\`REQUEST.TOO_LARGE\`)`,
  415: 'Body not sent as application/json (`REQUEST.UNSUPPORTED_MEDIA_TYPE`)',
  422:
    'The Idempotency-Key was already used for a different request (`IDEMPOTENCY.KEY_REUSED`); ' +
    'nothing was applied',
  429:
    'Too many requests from this principal, or too many failed authentications from this ' +
    'IP (`RATE_LIMITED`); retry after `Retry-After` seconds',
  503:
    'The service that answers this request is not available or did not answer in time ' +
    '(`SERVICE.UNAVAILABLE`, `REVOCATION.PROPAGATION_TIMEOUT`); retry',
};

export const RETRY_AFTER_HEADER = {
  description: 'Seconds to wait before retrying',
  schema: { type: 'integer', minimum: 0 },
} as const;

/** One response per status, each with the error body (and `Retry-After` on 429). */
export function errorResponse(status: ErrorStatus) {
  return {
    description: ERROR_DESCRIPTIONS[status],
    content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodySchema) } } },
    ...(status === 429 ? { headers: { 'Retry-After': RETRY_AFTER_HEADER } } : {}),
  };
}

/** `@ApiResponse` with the error body for each status. */
export function ApiErrors(...statuses: ErrorStatus[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        type: ErrorBodySchema,
        ...(status === 429 ? { headers: { 'Retry-After': RETRY_AFTER_HEADER } } : {}),
      }),
    ),
  );
}
