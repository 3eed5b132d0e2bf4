import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  resolveRole,
  serviceAccountDecider,
  serviceAccountStream,
  type CreateServiceAccount,
  type ServiceAccountState,
} from '@keyward/domain';
import { COMMAND_SUBJECTS, type ServiceAccountReply } from '@keyward/messaging';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { CommandScope } from '../../shared/command-scope';
import { newId } from '../../shared/ids';
import { ServiceAccountNames } from '../service-account-names';
import { serviceAccountReply } from '../service-account-reply';
import { CreateServiceAccountRequestDto } from './create-service-account.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class CreateServiceAccountHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly names: ServiceAccountNames,
    private readonly pipeline: CommandPipeline,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.createServiceAccount)
  async handle(
    @Payload(new RequestValidationPipe()) request: CreateServiceAccountRequestDto,
    @Call() call: CallContext,
  ): Promise<ServiceAccountReply> {
    const scoped = await this.scope.authenticate(call, request.orgId);
    const { actor, context } = scoped;
    const organization = await scoped.organization();
    const role = request.role ?? null;
    const command: CreateServiceAccount = {
      type: 'CreateServiceAccount',
      data: {
        actor,
        accountId: newId('sa', context.idempotencyKey, 'create-service-account'),
        name: request.name.trim(),
        description: request.description ?? '',
        role,
        rolePermissions:
          role === null ? null : resolveRole({ type: 'Existing', data: organization }, role),
        resources: request.resources ?? null,
        enableBasicAuth: request.enableBasicAuth ?? false,
        policy: organization.policy,
      },
    };
    // Decide once on an empty stream first: a refused account must not hold its name.
    serviceAccountDecider.decide(command, serviceAccountDecider.initialState());
    const { accountId, name } = command.data;
    await this.names.reserve(actor.orgId, name, accountId, context);
    const result = await this.pipeline.run({
      streamName: serviceAccountStream(accountId),
      decider: serviceAccountDecider,
      commandType: 'CreateServiceAccount',
      context,
      command: () => command,
    });
    return serviceAccountReply(result.state as ServiceAccountState, result.occurredAt);
  }
}
