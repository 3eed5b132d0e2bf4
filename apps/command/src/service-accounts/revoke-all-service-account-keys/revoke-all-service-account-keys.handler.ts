import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { COMMAND_SUBJECTS, type RevocationReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { ServiceAccountKeys } from '../service-account-key-access';
import { RevokeAllServiceAccountKeysRequestDto } from './revoke-all-service-account-keys.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class RevokeAllServiceAccountKeysHandler {
  constructor(
    private readonly accountKeys: ServiceAccountKeys,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.revokeAllServiceAccountKeys)
  async handle(
    @Payload(new RequestValidationPipe()) request: RevokeAllServiceAccountKeysRequestDto,
    @Call() call: CallContext,
  ): Promise<RevocationReply> {
    const { owner, scoped } = await this.accountKeys.open(call, request);
    return this.keys.revokeAll(owner, scoped, request.reason ?? 'revoke_all');
  }
}
