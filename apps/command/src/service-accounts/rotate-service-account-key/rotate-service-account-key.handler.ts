import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { COMMAND_SUBJECTS, type RotatedKeyReply } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { KeyOperations } from '../../keys/key-operations';
import { ServiceAccountKeys } from '../service-account-key-access';
import { RotateServiceAccountKeyRequestDto } from './rotate-service-account-key.request';

/** docs/product-rules.md rule 10: the successor's secret is in this reply only. */
@Controller()
export class RotateServiceAccountKeyHandler {
  constructor(
    private readonly accountKeys: ServiceAccountKeys,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.rotateServiceAccountKey)
  async handle(
    @Payload(new RequestValidationPipe()) request: RotateServiceAccountKeyRequestDto,
    @Call() call: CallContext,
  ): Promise<RotatedKeyReply> {
    const { owner, scoped } = await this.accountKeys.open(call, request);
    return this.keys.rotate(owner, scoped, request.keyId, request);
  }
}
