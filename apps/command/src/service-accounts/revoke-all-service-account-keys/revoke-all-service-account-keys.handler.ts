import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { serviceAccountDecider, serviceAccountStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type RevocationReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { CommandScope } from '../../shared/command-scope';
import { Call, type CallContext } from '../../transport/call-context';
import { RequestValidationPipe } from '../../transport/validation.pipe';
import { RevokeAllServiceAccountKeysRequestDto } from './revoke-all-service-account-keys.request';

@Controller()
export class RevokeAllServiceAccountKeysHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.revokeAllServiceAccountKeys)
  async handle(
    @Payload(new RequestValidationPipe()) request: RevokeAllServiceAccountKeysRequestDto,
    @Call() call: CallContext,
  ): Promise<RevocationReply> {
    const readBarrier = this.keys.barrier();
    const stream = serviceAccountStream(request.id);
    const owner = this.keys.owner(stream, serviceAccountDecider, readBarrier);
    const scoped = await this.scope.authenticate(call, request.orgId, readBarrier);
    return this.keys.revokeAll(owner, scoped, request.reason ?? 'revoke_all');
  }
}
