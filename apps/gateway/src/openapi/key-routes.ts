import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ApiIdempotent, ApiJsonBody } from './decorators';
import { ApiErrors } from './error.schema';
import { REVOCATION_REASONS } from './fields';
import { REVOCATION_POSITION_HEADER, RotateKeyBody, RotatedKeySchema } from './key.schema';

/**
 * A route that rotates one key (rule 10), a service account's or a personal one: 201 with the
 * successor. The path ids are the route's own (`ApiPathId`).
 */
export function ApiRotateKey(summary: string) {
  return applyDecorators(
    HttpCode(201),
    ApiOperation({
      summary,
      description:
        "Issues the key's successor (its secret in this reply only) and ends the old key after " +
        'the grace period, in one append. Answers once every live verifier has both.',
    }),
    ApiJsonBody(RotateKeyBody, 'The grace period and the successor fields, all optional', false),
    ApiIdempotent(),
    ApiResponse({
      status: 201,
      type: RotatedKeySchema,
      description: 'The successor and its secret',
    }),
    ApiErrors(404, 409),
  );
}

/**
 * A route that revokes one key, a service account's or a personal one: `?reason`, 204 with the
 * position every live verifier had applied. The path ids are the route's own (`ApiPathId`).
 */
export function ApiRevokeKey(summary: string) {
  return applyDecorators(
    HttpCode(204),
    ApiOperation({ summary, description: 'Answers once every live verifier refuses it.' }),
    ApiQuery({
      name: 'reason',
      required: false,
      schema: { type: 'string', enum: REVOCATION_REASONS },
    }),
    ApiIdempotent(),
    ApiResponse({ status: 204, description: 'Revoked', headers: REVOCATION_POSITION_HEADER }),
    ApiErrors(400),
  );
}
