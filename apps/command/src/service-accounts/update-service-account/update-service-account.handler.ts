import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  serviceAccountDecider,
  serviceAccountStream,
  type UpdateServiceAccount,
} from '@keyward/domain';
import { COMMAND_SUBJECTS, type ServiceAccountReply } from '@keyward/messaging';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { CommandScope } from '../../shared/command-scope';
import { nameKey, ServiceAccountNames } from '../service-account-names';
import { serviceAccountReply } from '../service-account-reply';
import { UpdateServiceAccountRequestDto } from './update-service-account.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class UpdateServiceAccountHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly names: ServiceAccountNames,
    private readonly pipeline: CommandPipeline,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.updateServiceAccount)
  async handle(
    @Payload(new RequestValidationPipe()) request: UpdateServiceAccountRequestDto,
    @Call() call: CallContext,
  ): Promise<ServiceAccountReply> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const streamName = serviceAccountStream(request.id);
    const name = request.name?.trim();
    const command: UpdateServiceAccount = {
      type: 'UpdateServiceAccount',
      data: { actor, ...(name === undefined ? {} : { name }), description: request.description },
    };
    if (request.description === undefined) delete command.data.description;

    const { state } = await this.pipeline.load(streamName, serviceAccountDecider);
    serviceAccountDecider.decide(command, state);
    const oldName = state.type === 'Active' ? state.data.name : undefined;
    const renamed =
      name !== undefined && oldName !== undefined && nameKey(name) !== nameKey(oldName);
    if (renamed) await this.names.reserve(actor.orgId, name, request.id, context);
    const result = await this.pipeline.run({
      streamName,
      decider: serviceAccountDecider,
      commandType: 'UpdateServiceAccount',
      context,
      command: () => command,
    });
    if (renamed) await this.names.release(actor.orgId, oldName, request.id, context);
    return serviceAccountReply(result.state, null);
  }
}
