import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { organizationDecider, organizationStream } from '@keyward/domain';
import { COMMAND_SUBJECTS } from '@keyward/messaging';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { CommandScope } from '../../shared/command-scope';
import { DefineRoleRequestDto } from './define-role.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class DefineRoleHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly pipeline: CommandPipeline,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.defineRole)
  async handle(
    @Payload(new RequestValidationPipe()) request: DefineRoleRequestDto,
    @Call() call: CallContext,
  ): Promise<{ name: string; permissions: string[] }> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const { name, permissions } = request;
    const result = await this.pipeline.run({
      streamName: organizationStream(actor.orgId),
      decider: organizationDecider,
      commandType: 'DefineRole',
      context,
      command: () => ({ type: 'DefineRole' as const, data: { actor, name, permissions } }),
    });
    const defined =
      result.state.type === 'Existing' ? result.state.data.customRoles.get(name) : undefined;
    return { name, permissions: defined ?? permissions };
  }
}
