import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { webhookEndpointDecider, webhookEndpointStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type WebhookEndpointView } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { CommandScope } from '../../shared/command-scope';
import { webhookEndpointView } from '../webhook-endpoint-view';
import { EnableWebhookEndpointRequestDto } from './enable-webhook-endpoint.request';

/** Deliveries resume with notifications after this change; an enabled endpoint answers as it is. */
@Controller()
export class EnableWebhookEndpointHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly pipeline: CommandPipeline,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.enableWebhookEndpoint)
  async handle(
    @Payload(new RequestValidationPipe()) request: EnableWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointView> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const result = await this.pipeline.run({
      streamName: webhookEndpointStream(request.endpointId),
      decider: webhookEndpointDecider,
      commandType: 'EnableWebhookEndpoint',
      context,
      command: () => ({ type: 'EnableWebhookEndpoint' as const, data: { actor } }),
    });
    return webhookEndpointView(result.state, result.recordedAt);
  }
}
