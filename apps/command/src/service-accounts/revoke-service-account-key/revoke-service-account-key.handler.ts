import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { COMMAND_SUBJECTS, type RevocationReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { ServiceAccountKeys } from '../service-account-key-access';
import { RevokeServiceAccountKeyRequestDto } from './revoke-service-account-key.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class RevokeServiceAccountKeyHandler {
  constructor(
    private readonly accountKeys: ServiceAccountKeys,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.revokeServiceAccountKey)
  async handle(
    @Payload(new RequestValidationPipe()) request: RevokeServiceAccountKeyRequestDto,
    @Call() call: CallContext,
  ): Promise<RevocationReply> {
    const { owner, scoped } = await this.accountKeys.open(call, request);
    return this.keys.revoke(owner, scoped, request.keyId, request.reason ?? 'manual');
  }
}
