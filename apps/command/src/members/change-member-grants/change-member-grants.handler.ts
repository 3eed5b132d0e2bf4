import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { memberDecider, memberStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type MemberReply } from '@keyward/messaging';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { CommandScope } from '../../shared/command-scope';
import { resolveGrants } from '../member-grants';
import { memberReply } from '../member-reply';
import { ChangeMemberGrantsRequestDto } from './change-member-grants.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class ChangeMemberGrantsHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly pipeline: CommandPipeline,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.changeMemberGrants)
  async handle(
    @Payload(new RequestValidationPipe()) request: ChangeMemberGrantsRequestDto,
    @Call() call: CallContext,
  ): Promise<MemberReply> {
    const { actor, context, organization } = await this.scope.authenticate(call, request.orgId);
    const grants = resolveGrants(await organization(), request.grants);
    const result = await this.pipeline.run({
      streamName: memberStream(actor.orgId, request.userId),
      decider: memberDecider,
      commandType: 'ChangeMemberGrants',
      context,
      command: (state) => ({
        type: 'ChangeMemberGrants' as const,
        data: { actor, orgRole: request.orgRole ?? currentOrgRole(state), grants },
      }),
    });
    return memberReply(result.state);
  }
}

function currentOrgRole(state: Parameters<typeof memberReply>[0]): 'admin' | 'member' {
  return state.type === 'Missing' ? 'member' : state.data.orgRole;
}
