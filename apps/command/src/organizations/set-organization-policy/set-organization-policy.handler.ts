import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { organizationDecider, organizationStream, policyOf } from '@keyward/domain';
import { COMMAND_SUBJECTS, type OrganizationPolicyReply } from '@keyward/messaging';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { CommandScope } from '../../shared/command-scope';
import { SetOrganizationPolicyRequestDto } from './set-organization-policy.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class SetOrganizationPolicyHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly pipeline: CommandPipeline,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.setOrganizationPolicy)
  async handle(
    @Payload(new RequestValidationPipe()) request: SetOrganizationPolicyRequestDto,
    @Call() call: CallContext,
  ): Promise<OrganizationPolicyReply> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const result = await this.pipeline.run({
      streamName: organizationStream(actor.orgId),
      decider: organizationDecider,
      commandType: 'SetOrganizationPolicy',
      context,
      command: (state) => {
        const current = policyOf(state);
        return {
          type: 'SetOrganizationPolicy' as const,
          data: {
            actor,
            maxActiveKeysPerPrincipal:
              request.maxActiveKeysPerPrincipal ?? current.maxActiveKeysPerPrincipal,
            maxKeyLifetimeSeconds: pick(
              request.maxKeyLifetimeSeconds,
              current.maxKeyLifetimeSeconds,
            ),
            allowedServiceAccountRoles: pick(
              request.allowedServiceAccountRoles,
              current.allowedServiceAccountRoles,
            ),
            expiryNoticeSeconds: pick(request.expiryNoticeSeconds, current.expiryNoticeSeconds),
          },
        };
      },
    });
    return policyOf(result.state);
  }
}

function pick<T>(requested: T | undefined, current: T): T {
  return requested === undefined ? current : requested;
}
