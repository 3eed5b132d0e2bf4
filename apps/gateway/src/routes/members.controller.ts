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
  QUERY_SUBJECTS as Q,
  type IssuedKeyReply,
  type KeyView,
  type MemberReply,
  type MemberView,
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
import { KEY_STATUSES, MEMBER_STATUSES } from '../openapi/fields';
import {
  IssueKeyBody,
  IssuedKeySchema,
  KeyPageSchema,
  RevocationReasonBody,
  REVOCATION_POSITION_HEADER,
  RevokedKeyIdsSchema,
} from '../openapi/key.schema';
import { ApiRevokeKey, ApiRotateKey } from '../openapi/key-routes';
import {
  AddMemberBody,
  ChangeMemberGrantsBody,
  MemberPageSchema,
  MemberSchema,
} from '../openapi/member.schema';

/** Members, their grants and their keys (org admins). */
@ApiTags('members')
@ApiCaller()
@ApiOrgId()
@Controller('api/member/v1/member')
export class MembersController {
  constructor(private readonly bus: KeywardBus) {}

  @Get()
  @ApiOperation({ summary: 'List members (org admins)' })
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', enum: MEMBER_STATUSES, default: 'active' },
  })
  @ApiPage()
  @ApiOkResponse({ type: MemberPageSchema })
  @ApiErrors(400)
  list(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<Page<MemberView>>(Q.listMembers, queryBody(query), edge);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add a member (org admins)',
    description: 'Grants may not exceed what the caller holds (AUTH.LEAST_PRIVILEGE).',
  })
  @ApiJsonBody(AddMemberBody, 'The member and their grants')
  @ApiIdempotent()
  @ApiResponse({ status: 201, type: MemberSchema })
  @ApiErrors(409)
  add(@Body() body: unknown, @Query('orgId') orgId: string | undefined, @Edge() edge: EdgeCall) {
    return this.bus.call<MemberReply>(C.addMember, bodyWith(body, { orgId }), edge);
  }

  @Patch(':userId')
  @ApiOperation({ summary: "Change a member's org role and grants (org admins)" })
  @ApiPathId('userId', 'userId')
  @ApiJsonBody(ChangeMemberGrantsBody, 'The new grants, replacing the current ones')
  @ApiIdempotent()
  @ApiOkResponse({ type: MemberSchema })
  @ApiErrors(409)
  change(
    @Param('userId') userId: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<MemberReply>(
      C.changeMemberGrants,
      bodyWith(body, { userId, orgId }),
      edge,
    );
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a member (org admins)',
    description: 'Revokes their personal keys; answers once every live verifier refuses them.',
  })
  @ApiPathId('userId', 'userId')
  @ApiIdempotent()
  @ApiResponse({ status: 204, description: 'Removed', headers: REVOCATION_POSITION_HEADER })
  @ApiErrors(400)
  async remove(
    @Param('userId') userId: string,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    await this.bus.revokeWithoutBody(
      C.removeMember,
      bodyWith({}, { userId, orgId }),
      edge,
      response,
    );
  }

  @Get(':userId/key')
  @ApiOperation({ summary: "List a member's personal keys (org admins)" })
  @ApiPathId('userId', 'userId')
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', enum: KEY_STATUSES, default: 'all' },
  })
  @ApiPage()
  @ApiOkResponse({ type: KeyPageSchema })
  @ApiErrors(400)
  keys(
    @Param('userId') userId: string,
    @Query() query: Record<string, unknown>,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<Page<KeyView>>(Q.listPersonalKeys, queryBody(query, { userId }), edge);
  }

  @Post(':userId/key')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Issue a member a personal key (org admins)',
    description: "E.g. a new member's first key; the secret is in this reply only.",
  })
  @ApiPathId('userId', 'userId')
  @ApiJsonBody(IssueKeyBody, 'Name, description and expiry, all optional', false)
  @ApiIdempotent()
  @ApiResponse({ status: 201, type: IssuedKeySchema, description: 'The key and its secret' })
  @ApiErrors(409)
  issueKey(
    @Param('userId') userId: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<IssuedKeyReply>(
      C.issuePersonalKey,
      bodyWith(body, { userId, orgId }),
      edge,
    );
  }

  @Post(':userId/key/:keyId/rotate')
  @ApiPathId('userId', 'userId')
  @ApiPathId('keyId', 'keyId')
  @ApiRotateKey("Rotate a member's personal key (org admins)")
  rotateKey(
    @Param('userId') userId: string,
    @Param('keyId') keyId: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<RotatedKeyReply>(
      C.rotatePersonalKey,
      bodyWith(body, { userId, keyId, orgId }),
      edge,
    );
  }

  @Post(':userId/key/revoke-all')
  @HttpCode(200)
  @ApiOperation({
    summary: "Revoke all of a member's personal keys (org admins)",
    description: 'The member stays; answers once every live verifier refuses the keys.',
  })
  @ApiPathId('userId', 'userId')
  @ApiJsonBody(RevocationReasonBody, 'The reason, optional', false)
  @ApiIdempotent()
  @ApiOkResponse({ type: RevokedKeyIdsSchema })
  async revokeAllKeys(
    @Param('userId') userId: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.revoke(C.revokeAllPersonalKeys, bodyWith(body, { userId, orgId }), edge);
  }

  @Delete(':userId/key/:keyId')
  @ApiPathId('userId', 'userId')
  @ApiPathId('keyId', 'keyId')
  @ApiRevokeKey("Revoke one of a member's personal keys (org admins)")
  async revokeKey(
    @Param('userId') userId: string,
    @Param('keyId') keyId: string,
    @Query('orgId') orgId: string | undefined,
    @Query('reason') reason: string | undefined,
    @Edge() edge: EdgeCall,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    await this.bus.revokeWithoutBody(
      C.revokePersonalKey,
      bodyWith({}, { userId, keyId, orgId, reason }),
      edge,
      response,
    );
  }
}
