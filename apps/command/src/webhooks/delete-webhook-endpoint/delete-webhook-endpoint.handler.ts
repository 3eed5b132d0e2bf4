import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { webhookEndpointDecider, webhookEndpointStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type DeleteWebhookEndpointReply } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { CommandScope } from '../../shared/command-scope';
import { DeleteWebhookEndpointRequestDto } from './delete-webhook-endpoint.request';

/** Deleting is final: the endpoint is then not found, by every command and query. */
@Controller()
export class DeleteWebhookEndpointHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly pipeline: CommandPipeline,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.deleteWebhookEndpoint)
  async handle(
    @Payload(new RequestValidationPipe()) request: DeleteWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<DeleteWebhookEndpointReply> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    await this.pipeline.run({
      streamName: webhookEndpointStream(request.endpointId),
      decider: webhookEndpointDecider,
      commandType: 'DeleteWebhookEndpoint',
      context,
      command: () => ({ type: 'DeleteWebhookEndpoint' as const, data: { actor } }),
    });
    return {};
  }
}
