import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  COMMAND_SUBJECTS as C,
  QUERY_SUBJECTS as Q,
  type IssuedKeyReply,
  type KeyView,
  type MemberReply,
  type MemberView,
  type Page,
} from '@keyward/messaging';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { bodyWith, queryBody } from '../http/request-body';

/** Members, their grants and their keys (org admins). */
@Controller('api/member/v1/member')
export class MembersController {
  constructor(private readonly bus: KeywardBus) {}

  @Get()
  list(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<Page<MemberView>>(Q.listMembers, queryBody(query), edge);
  }

  @Post()
  @HttpCode(201)
  add(@Body() body: unknown, @Query('orgId') orgId: string | undefined, @Edge() edge: EdgeCall) {
    return this.bus.call<MemberReply>(C.addMember, bodyWith(body, { orgId }), edge);
  }

  @Patch(':userId')
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
  async remove(
    @Param('userId') userId: string,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    await this.bus.call(C.removeMember, bodyWith({}, { userId, orgId }), edge);
  }

  @Get(':userId/key')
  keys(
    @Param('userId') userId: string,
    @Query() query: Record<string, unknown>,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<Page<KeyView>>(Q.listPersonalKeys, queryBody(query, { userId }), edge);
  }

  @Post(':userId/key')
  @HttpCode(201)
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
}
