import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  COMMAND_SUBJECTS as C,
  FIELD_BOUNDS,
  QUERY_LIMITS,
  QUERY_SUBJECTS as Q,
  type IssuedKeyReply,
  type Page,
  type RotatedKeyReply,
  type ServiceAccountReply,
  type ServiceAccountUsageView,
  type ServiceAccountView,
  type ServiceAccountWithKeysView,
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
import {
  IssueKeyBody,
  IssuedKeySchema,
  KeyPageSchema,
  RevocationReasonBody,
  REVOCATION_POSITION_HEADER,
  RevokedKeyIdsSchema,
} from '../openapi/key.schema';
import { ApiRevokeKey, ApiRotateKey } from '../openapi/key-routes';
import { SERVICE_ACCOUNT_STATUSES, nameFilter } from '../openapi/fields';
import {
  CreateServiceAccountBody,
  ServiceAccountPageSchema,
  ServiceAccountSchema,
  ServiceAccountUsageSchema,
  ServiceAccountWithKeysSchema,
  UpdateServiceAccountBody,
} from '../openapi/service-account.schema';

/** Seed 003's API and the rest of the service-account paths of the HTTP API (README). */
@ApiTags('service accounts')
@ApiCaller()
@ApiOrgId()
@Controller('api/service-account/v1/service-account')
export class ServiceAccountsController {
  constructor(private readonly bus: KeywardBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a service account',
    description:
      'One role on a fixed set of resources, never more than the caller may grant ' +
      '(AUTH.LEAST_PRIVILEGE); names are unique among active accounts, case-insensitively.',
  })
  @ApiJsonBody(CreateServiceAccountBody, 'The new account')
  @ApiIdempotent()
  @ApiResponse({ status: 201, type: ServiceAccountSchema, description: 'The account, no keys yet' })
  @ApiErrors(409)
  create(@Body() body: unknown, @Query('orgId') orgId: string | undefined, @Edge() edge: EdgeCall) {
    return this.bus.call<ServiceAccountReply>(
      C.createServiceAccount,
      bodyWith(body, { orgId }),
      edge,
    );
  }

  @Get()
  @ApiOperation({ summary: 'List service accounts', description: 'With status and key counts.' })
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', enum: SERVICE_ACCOUNT_STATUSES, default: 'active' },
  })
  @ApiQuery({
    name: 'namePrefix',
    required: false,
    schema: nameFilter('Case-insensitive prefix of the name'),
  })
  @ApiPage()
  @ApiOkResponse({ type: ServiceAccountPageSchema })
  @ApiErrors(400)
  list(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<Page<ServiceAccountView>>(Q.listServiceAccounts, queryBody(query), edge);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Get a service account',
    description:
      "With every key's metadata (hint, created, expiry, last used, uses, status, revoked " +
      'at/by/why); never a hash or secret.',
  })
  @ApiPathId('id', 'accountId')
  @ApiOkResponse({ type: ServiceAccountWithKeysSchema })
  @ApiErrors(400)
  get(@Param('id') id: string, @Query('orgId') orgId: string | undefined, @Edge() edge: EdgeCall) {
    return this.bus.call<ServiceAccountWithKeysView>(
      Q.getServiceAccount,
      bodyWith({}, { id, orgId }),
      edge,
    );
  }

  @Get(':id/usage')
  @ApiOperation({
    summary: "A service account's key usage per day",
    description:
      'For every key of the account (all statuses, oldest first): accepted uses and refused ' +
      'attempts per UTC day, the last day being today, zeros where there were none; the arrays ' +
      "follow `days`. From the verifiers' usage rollups, so at most one flush window " +
      '(KEYWARD_USAGE_FLUSH_MS, a minute by default) late; a rollup counts on the UTC day its ' +
      'window ended. Never a hash or secret.',
  })
  @ApiPathId('id', 'accountId')
  @ApiQuery({
    name: 'days',
    required: false,
    description: `How many UTC days, ending today (default ${QUERY_LIMITS.defaultUsageDays})`,
    schema: {
      type: 'integer',
      minimum: FIELD_BOUNDS.usageDays.min,
      maximum: FIELD_BOUNDS.usageDays.max,
      default: QUERY_LIMITS.defaultUsageDays,
    },
  })
  @ApiOkResponse({ type: ServiceAccountUsageSchema })
  @ApiErrors(400)
  usage(@Param('id') id: string, @Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<ServiceAccountUsageView>(
      Q.serviceAccountUsage,
      queryBody(query, { id }),
      edge,
    );
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename or describe a service account' })
  @ApiPathId('id', 'accountId')
  @ApiJsonBody(UpdateServiceAccountBody, 'The fields to change')
  @ApiIdempotent()
  @ApiOkResponse({ type: ServiceAccountSchema })
  @ApiErrors(409)
  update(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<ServiceAccountReply>(
      C.updateServiceAccount,
      bodyWith(body, { id, orgId }),
      edge,
    );
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a service account',
    description:
      'Revokes all its keys in the same change; answers once every live verifier refuses them.',
  })
  @ApiPathId('id', 'accountId')
  @ApiIdempotent()
  @ApiResponse({ status: 204, description: 'Deleted', headers: REVOCATION_POSITION_HEADER })
  @ApiErrors(400, 409)
  async remove(
    @Param('id') id: string,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    await this.bus.revokeWithoutBody(
      C.deleteServiceAccount,
      bodyWith({}, { id, orgId }),
      edge,
      response,
    );
  }

  @Get(':id/key')
  @ApiOperation({ summary: "List a service account's keys", description: 'One page, all keys.' })
  @ApiPathId('id', 'accountId')
  @ApiOkResponse({ type: KeyPageSchema })
  @ApiErrors(400)
  async keys(
    @Param('id') id: string,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    const account = await this.bus.call<ServiceAccountWithKeysView>(
      Q.getServiceAccount,
      bodyWith({}, { id, orgId }),
      edge,
    );
    return { items: account.keys, nextCursor: null };
  }

  @Post(':id/key')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Issue a key',
    description: 'The secret is in this reply only; the store keeps its SHA-256.',
  })
  @ApiPathId('id', 'accountId')
  @ApiJsonBody(IssueKeyBody, 'Name, description and expiry, all optional', false)
  @ApiIdempotent()
  @ApiResponse({ status: 201, type: IssuedKeySchema, description: 'The key and its secret' })
  @ApiErrors(409)
  issueKey(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<IssuedKeyReply>(
      C.issueServiceAccountKey,
      bodyWith(body, { id, orgId }),
      edge,
    );
  }

  @Post(':id/key/:keyId/rotate')
  @ApiPathId('id', 'accountId')
  @ApiPathId('keyId', 'keyId')
  @ApiRotateKey('Rotate a key')
  rotateKey(
    @Param('id') id: string,
    @Param('keyId') keyId: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<RotatedKeyReply>(
      C.rotateServiceAccountKey,
      bodyWith(body, { id, keyId, orgId }),
      edge,
    );
  }

  @Post(':id/key/revoke-all')
  @HttpCode(200)
  @ApiOperation({
    summary: "Revoke all of a service account's keys",
    description: 'Answers once every live verifier refuses them.',
  })
  @ApiPathId('id', 'accountId')
  @ApiJsonBody(RevocationReasonBody, 'The reason, optional', false)
  @ApiIdempotent()
  @ApiOkResponse({ type: RevokedKeyIdsSchema })
  @ApiErrors(409)
  async revokeAll(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.revoke(C.revokeAllServiceAccountKeys, bodyWith(body, { id, orgId }), edge);
  }

  @Delete(':id/key/:keyId')
  @ApiPathId('id', 'accountId')
  @ApiPathId('keyId', 'keyId')
  @ApiRevokeKey('Revoke a key')
  async revokeKey(
    @Param('id') id: string,
    @Param('keyId') keyId: string,
    @Query('orgId') orgId: string | undefined,
    @Query('reason') reason: string | undefined,
    @Edge() edge: EdgeCall,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    await this.bus.revokeWithoutBody(
      C.revokeServiceAccountKey,
      bodyWith({}, { id, keyId, orgId, reason }),
      edge,
      response,
    );
  }
}
