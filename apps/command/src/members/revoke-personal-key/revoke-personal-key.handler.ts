import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { memberDecider, memberStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type RevocationReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { CommandScope } from '../../shared/command-scope';
import { Call, type CallContext } from '../../transport/call-context';
import { RequestValidationPipe } from '../../transport/validation.pipe';
import { RevokePersonalKeyRequestDto } from './revoke-personal-key.request';

@Controller()
export class RevokePersonalKeyHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.revokePersonalKey)
  async handle(
    @Payload(new RequestValidationPipe()) request: RevokePersonalKeyRequestDto,
    @Call() call: CallContext,
  ): Promise<RevocationReply> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const userId = request.userId ?? actor.id;
    const owner = { streamName: memberStream(actor.orgId, userId), decider: memberDecider };
    return this.keys.revoke(owner, actor, request.keyId, request.reason ?? 'manual', context);
  }
}
