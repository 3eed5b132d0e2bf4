import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { serviceAccountDecider, serviceAccountStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type RevocationReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { CommandScope } from '../../shared/command-scope';
import { Call, type CallContext } from '../../transport/call-context';
import { RequestValidationPipe } from '../../transport/validation.pipe';
import { RevokeServiceAccountKeyRequestDto } from './revoke-service-account-key.request';

@Controller()
export class RevokeServiceAccountKeyHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.revokeServiceAccountKey)
  async handle(
    @Payload(new RequestValidationPipe()) request: RevokeServiceAccountKeyRequestDto,
    @Call() call: CallContext,
  ): Promise<RevocationReply> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const owner = { streamName: serviceAccountStream(request.id), decider: serviceAccountDecider };
    return this.keys.revoke(owner, actor, request.keyId, request.reason ?? 'manual', context);
  }
}
