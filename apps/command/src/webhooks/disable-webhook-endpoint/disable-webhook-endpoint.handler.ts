import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { webhookEndpointDecider, webhookEndpointStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type WebhookEndpointView } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { CommandScope } from '../../shared/command-scope';
import { webhookEndpointView } from '../webhook-endpoint-view';
import { DisableWebhookEndpointRequestDto } from './disable-webhook-endpoint.request';

/** Stops deliveries (pending ones are abandoned); a disabled endpoint answers as it is. */
@Controller()
export class DisableWebhookEndpointHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly pipeline: CommandPipeline,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.disableWebhookEndpoint)
  async handle(
    @Payload(new RequestValidationPipe()) request: DisableWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointView> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const result = await this.pipeline.run({
      streamName: webhookEndpointStream(request.endpointId),
      decider: webhookEndpointDecider,
      commandType: 'DisableWebhookEndpoint',
      context,
      command: () => ({ type: 'DisableWebhookEndpoint' as const, data: { actor } }),
    });
    return webhookEndpointView(result.state, result.recordedAt);
  }
}
