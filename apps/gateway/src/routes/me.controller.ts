import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  COMMAND_SUBJECTS as C,
  QUERY_SUBJECTS as Q,
  type IssuedKeyReply,
  type KeyView,
  type Page,
  type RotatedKeyReply,
} from '@keyward/messaging';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { bodyWith, queryBody } from '../http/request-body';
import {
  ApiCaller,
  ApiIdempotent,
  ApiJsonBody,
  ApiOrgId,
  ApiPage,
  ApiPathId,
} from '../openapi/decorators';
import { ApiErrors } from '../openapi/error.schema';
import { KEY_STATUSES } from '../openapi/fields';
import {
  IssueKeyBody,
  IssuedKeySchema,
  KeyPageSchema,
  RevocationReasonBody,
  RevokedKeyIdsSchema,
} from '../openapi/key.schema';
import { ApiRevokeKey, ApiRotateKey } from '../openapi/key-routes';

/** The caller's own (personal) keys. */
@ApiTags('personal keys')
@ApiCaller()
@ApiOrgId()
@Controller('api/me/v1/key')
export class MeController {
  constructor(private readonly bus: KeywardBus) {}

  @Get()
  @ApiOperation({ summary: 'List your own keys' })
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', enum: KEY_STATUSES, default: 'all' },
  })
  @ApiPage()
  @ApiOkResponse({ type: KeyPageSchema })
  @ApiErrors(400)
  list(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<Page<KeyView>>(Q.listPersonalKeys, queryBody(query), edge);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Issue yourself a personal key',
    description: 'It acts with your grants; the secret is in this reply only.',
  })
  @ApiJsonBody(IssueKeyBody, 'Name, description and expiry, all optional', false)
  @ApiIdempotent()
  @ApiResponse({ status: 201, type: IssuedKeySchema, description: 'The key and its secret' })
  @ApiErrors(409)
  issue(@Body() body: unknown, @Query('orgId') orgId: string | undefined, @Edge() edge: EdgeCall) {
    return this.bus.call<IssuedKeyReply>(C.issuePersonalKey, bodyWith(body, { orgId }), edge);
  }

  @Post('revoke-all')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke all your personal keys',
    description: 'Answers once every live verifier refuses them.',
  })
  @ApiJsonBody(RevocationReasonBody, 'The reason, optional', false)
  @ApiIdempotent()
  @ApiOkResponse({ type: RevokedKeyIdsSchema })
  async revokeAll(
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.revoke(C.revokeAllPersonalKeys, bodyWith(body, { orgId }), edge);
  }

  @Post(':keyId/rotate')
  @ApiPathId('keyId', 'keyId')
  @ApiRotateKey('Rotate one of your personal keys')
  rotate(
    @Param('keyId') keyId: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<RotatedKeyReply>(
      C.rotatePersonalKey,
      bodyWith(body, { keyId, orgId }),
      edge,
    );
  }

  @Delete(':keyId')
  @ApiPathId('keyId', 'keyId')
  @ApiRevokeKey('Revoke one of your personal keys')
  async revoke(
    @Param('keyId') keyId: string,
    @Query('orgId') orgId: string | undefined,
    @Query('reason') reason: string | undefined,
    @Edge() edge: EdgeCall,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    await this.bus.revokeWithoutBody(
      C.revokePersonalKey,
      bodyWith({}, { keyId, orgId, reason }),
      edge,
      response,
    );
  }
}
