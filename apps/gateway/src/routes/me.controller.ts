import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  COMMAND_SUBJECTS as C,
  QUERY_SUBJECTS as Q,
  type IssuedKeyReply,
  type KeyView,
  type Page,
  type RevocationReply,
} from '@keyward/messaging';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { bodyWith, queryBody } from '../http/request-body';

/** The caller's own (personal) keys. */
@Controller('api/me/v1/key')
export class MeController {
  constructor(private readonly bus: KeywardBus) {}

  @Get()
  list(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<Page<KeyView>>(Q.listPersonalKeys, queryBody(query), edge);
  }

  @Post()
  @HttpCode(201)
  issue(@Body() body: unknown, @Query('orgId') orgId: string | undefined, @Edge() edge: EdgeCall) {
    return this.bus.call<IssuedKeyReply>(C.issuePersonalKey, bodyWith(body, { orgId }), edge);
  }

  @Post('revoke-all')
  @HttpCode(200)
  async revokeAll(
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    const reply = await this.bus.call<RevocationReply>(
      C.revokeAllPersonalKeys,
      bodyWith(body, { orgId }),
      edge,
    );
    return { revokedKeyIds: reply.revokedKeyIds };
  }

  @Delete(':keyId')
  @HttpCode(204)
  async revoke(
    @Param('keyId') keyId: string,
    @Query('orgId') orgId: string | undefined,
    @Query('reason') reason: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    await this.bus.call(C.revokePersonalKey, bodyWith({}, { keyId, orgId, reason }), edge);
  }
}
