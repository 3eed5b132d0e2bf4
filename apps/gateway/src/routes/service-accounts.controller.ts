import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  COMMAND_SUBJECTS as C,
  QUERY_SUBJECTS as Q,
  type IssuedKeyReply,
  type Page,
  type RevocationReply,
  type ServiceAccountReply,
  type ServiceAccountView,
  type ServiceAccountWithKeysView,
} from '@keyward/messaging';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { bodyWith, queryBody } from '../http/request-body';

/** Seed 003's API and the rest of the service-account paths of SPEC §4. */
@Controller('api/service-account/v1/service-account')
export class ServiceAccountsController {
  constructor(private readonly bus: KeywardBus) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown, @Query('orgId') orgId: string | undefined, @Edge() edge: EdgeCall) {
    return this.bus.call<ServiceAccountReply>(
      C.createServiceAccount,
      bodyWith(body, { orgId }),
      edge,
    );
  }

  @Get()
  list(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<Page<ServiceAccountView>>(Q.listServiceAccounts, queryBody(query), edge);
  }

  @Get(':id')
  get(@Param('id') id: string, @Query('orgId') orgId: string | undefined, @Edge() edge: EdgeCall) {
    return this.bus.call<ServiceAccountWithKeysView>(
      Q.getServiceAccount,
      bodyWith({}, { id, orgId }),
      edge,
    );
  }

  @Patch(':id')
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
  async remove(
    @Param('id') id: string,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    await this.bus.call(C.deleteServiceAccount, bodyWith({}, { id, orgId }), edge);
  }

  @Get(':id/key')
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

  @Post(':id/key/revoke-all')
  @HttpCode(200)
  async revokeAll(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    const reply = await this.bus.call<RevocationReply>(
      C.revokeAllServiceAccountKeys,
      bodyWith(body, { id, orgId }),
      edge,
    );
    return { revokedKeyIds: reply.revokedKeyIds };
  }

  @Delete(':id/key/:keyId')
  @HttpCode(204)
  async revokeKey(
    @Param('id') id: string,
    @Param('keyId') keyId: string,
    @Query('orgId') orgId: string | undefined,
    @Query('reason') reason: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    await this.bus.call(
      C.revokeServiceAccountKey,
      bodyWith({}, { id, keyId, orgId, reason }),
      edge,
    );
  }
}
