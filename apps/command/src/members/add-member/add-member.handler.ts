import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { memberDecider, memberStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type MemberReply } from '@keyward/messaging';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { CommandScope } from '../../shared/command-scope';
import { resolveGrants } from '../member-grants';
import { memberReply } from '../member-reply';
import { AddMemberRequestDto } from './add-member.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class AddMemberHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly pipeline: CommandPipeline,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.addMember)
  async handle(
    @Payload(new RequestValidationPipe()) request: AddMemberRequestDto,
    @Call() call: CallContext,
  ): Promise<MemberReply> {
    const { actor, context, organization } = await this.scope.authenticate(call, request.orgId);
    const grants = resolveGrants(await organization(), request.grants);
    const { userId, displayName } = request;
    const result = await this.pipeline.run({
      streamName: memberStream(actor.orgId, userId),
      decider: memberDecider,
      commandType: 'AddMember',
      context,
      command: () => ({
        type: 'AddMember' as const,
        data: {
          actor,
          orgId: actor.orgId,
          userId,
          displayName,
          orgRole: request.orgRole ?? 'member',
          grants,
        },
      }),
    });
    return memberReply(result.state);
  }
}
