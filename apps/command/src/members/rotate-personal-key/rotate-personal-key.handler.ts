import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { memberDecider, memberStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type RotatedKeyReply } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { KeyOperations } from '../../keys/key-operations';
import { CommandScope } from '../../shared/command-scope';
import { RotatePersonalKeyRequestDto } from './rotate-personal-key.request';

/**
 * docs/product-rules.md rule 10 for a personal key: the caller's own, or another member's (org
 * admins). Decided and propagated as a service-account key's rotation (`KeyOperations.rotate`);
 * the successor's secret is in this reply only.
 */
@Controller()
export class RotatePersonalKeyHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.rotatePersonalKey)
  async handle(
    @Payload(new RequestValidationPipe()) request: RotatePersonalKeyRequestDto,
    @Call() call: CallContext,
  ): Promise<RotatedKeyReply> {
    const scoped = await this.scope.authenticate(call, request.orgId);
    const { orgId, id } = scoped.actor;
    const owner = { streamName: memberStream(orgId, request.userId ?? id), decider: memberDecider };
    return this.keys.rotate(owner, scoped, request.keyId, request);
  }
}
