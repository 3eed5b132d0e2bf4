import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { COMMAND_SUBJECTS as C } from '@keyward/messaging';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { bodyWith } from '../http/request-body';
import { ApiCaller, ApiIdempotent, ApiJsonBody, ApiOrgId } from '../openapi/decorators';
import { RevokeByValueBody, RevokedKeyIdsSchema } from '../openapi/key.schema';

/** Revoke a key by presenting its value (seed 000's dialog). */
@ApiTags('keys')
@Controller('api/key/v1')
export class KeysController {
  constructor(private readonly bus: KeywardBus) {}

  @Post('revoke-by-value')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke a key by presenting it',
    description:
      "Whoever holds a key may revoke it (seed 000's dialog), e.g. one found leaked. Answers " +
      'once every live verifier refuses it.',
  })
  @ApiCaller()
  @ApiOrgId()
  @ApiJsonBody(RevokeByValueBody, 'The key and, optionally, why')
  @ApiIdempotent()
  @ApiOkResponse({ type: RevokedKeyIdsSchema })
  async revokeByValue(
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.revoke(C.revokeKeyByValue, bodyWith(body, { orgId }), edge);
  }
}
