import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { COMMAND_SUBJECTS as C, type RevocationReply } from '@keyward/messaging';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { bodyWith } from '../http/request-body';

/** Revoke a key by presenting its value (seed 000's dialog). */
@Controller('api/key/v1')
export class KeysController {
  constructor(private readonly bus: KeywardBus) {}

  @Post('revoke-by-value')
  @HttpCode(200)
  async revokeByValue(
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    const reply = await this.bus.call<RevocationReply>(
      C.revokeKeyByValue,
      bodyWith(body, { orgId }),
      edge,
    );
    return { revokedKeyIds: reply.revokedKeyIds };
  }
}
