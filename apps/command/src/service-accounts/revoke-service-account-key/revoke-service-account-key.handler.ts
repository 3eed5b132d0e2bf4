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
    const readBarrier = this.keys.barrier();
    const stream = serviceAccountStream(request.id);
    const owner = this.keys.owner(stream, serviceAccountDecider, readBarrier);
    const scoped = await this.scope.authenticate(call, request.orgId, readBarrier);
    return this.keys.revoke(owner, scoped, request.keyId, request.reason ?? 'manual');
  }
}
