import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { memberDecider, memberStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type RevocationReply } from '@keyward/messaging';
import { revocationReply } from '../../keys/key-operations';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { RevocationPropagation } from '../../revocation/revocation-propagation';
import { CommandScope } from '../../shared/command-scope';
import { RemoveMemberRequestDto } from './remove-member.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

/** Removing a member revokes their personal keys in the same append; their service accounts stay. */
@Controller()
export class RemoveMemberHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly pipeline: CommandPipeline,
    private readonly propagation: RevocationPropagation,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.removeMember)
  async handle(
    @Payload(new RequestValidationPipe()) request: RemoveMemberRequestDto,
    @Call() call: CallContext,
  ): Promise<RevocationReply> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const result = await this.pipeline.run({
      streamName: memberStream(actor.orgId, request.userId),
      decider: memberDecider,
      commandType: 'RemoveMember',
      context,
      command: () => ({ type: 'RemoveMember' as const, data: { actor, reason: 'removed' } }),
    });
    return this.propagation.confirmed(revocationReply(result));
  }
}
