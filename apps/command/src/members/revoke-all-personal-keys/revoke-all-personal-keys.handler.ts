import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { memberDecider, memberStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type RevocationReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { CommandScope } from '../../shared/command-scope';
import { RevokeAllPersonalKeysRequestDto } from './revoke-all-personal-keys.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class RevokeAllPersonalKeysHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.revokeAllPersonalKeys)
  async handle(
    @Payload(new RequestValidationPipe()) request: RevokeAllPersonalKeysRequestDto,
    @Call() call: CallContext,
  ): Promise<RevocationReply> {
    const scoped = await this.scope.authenticate(call, request.orgId);
    const { orgId, id } = scoped.actor;
    const owner = { streamName: memberStream(orgId, request.userId ?? id), decider: memberDecider };
    return this.keys.revokeAll(owner, scoped, request.reason ?? 'revoke_all');
  }
}
