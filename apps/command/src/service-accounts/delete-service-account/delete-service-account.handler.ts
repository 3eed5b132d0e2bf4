import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { serviceAccountDecider, serviceAccountStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type RevocationReply } from '@keyward/messaging';
import { revocationReply } from '../../keys/key-operations';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { RevocationPropagation } from '../../revocation/revocation-propagation';
import { CommandScope } from '../../shared/command-scope';
import { ServiceAccountNames } from '../service-account-names';
import { DeleteServiceAccountRequestDto } from './delete-service-account.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

/** Deleting revokes every key in the same append (the domain emits both), then frees the name. */
@Controller()
export class DeleteServiceAccountHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly names: ServiceAccountNames,
    private readonly pipeline: CommandPipeline,
    private readonly propagation: RevocationPropagation,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.deleteServiceAccount)
  async handle(
    @Payload(new RequestValidationPipe()) request: DeleteServiceAccountRequestDto,
    @Call() call: CallContext,
  ): Promise<RevocationReply> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const result = await this.pipeline.run({
      streamName: serviceAccountStream(request.id),
      decider: serviceAccountDecider,
      commandType: 'DeleteServiceAccount',
      context,
      command: () => ({
        type: 'DeleteServiceAccount' as const,
        data: { actor, reason: 'deleted' },
      }),
    });
    if (result.state.type !== 'Missing') {
      await this.names.release(actor.orgId, result.state.data.name, request.id, context);
    }
    return this.propagation.confirmed(revocationReply(result));
  }
}
