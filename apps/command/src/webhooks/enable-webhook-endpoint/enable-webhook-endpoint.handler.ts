import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { COMMAND_SUBJECTS, type WebhookEndpointView } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { WebhookEndpointCommands } from '../webhook-endpoint-commands';
import { webhookEndpointView } from '../webhook-endpoint-view';
import { EnableWebhookEndpointRequestDto } from './enable-webhook-endpoint.request';

/** Deliveries resume with notifications after this change; an enabled endpoint answers as it is. */
@Controller()
export class EnableWebhookEndpointHandler {
  constructor(private readonly endpoints: WebhookEndpointCommands) {}

  @MessagePattern(COMMAND_SUBJECTS.enableWebhookEndpoint)
  async handle(
    @Payload(new RequestValidationPipe()) request: EnableWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointView> {
    const result = await this.endpoints.runAsCaller(call, request, 'EnableWebhookEndpoint');
    return webhookEndpointView(result.state, result.recordedAt);
  }
}
