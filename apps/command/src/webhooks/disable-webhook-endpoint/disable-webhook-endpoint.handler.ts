import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { COMMAND_SUBJECTS, type WebhookEndpointView } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { WebhookEndpointCommands } from '../webhook-endpoint-commands';
import { webhookEndpointView } from '../webhook-endpoint-view';
import { DisableWebhookEndpointRequestDto } from './disable-webhook-endpoint.request';

/** Stops deliveries (pending ones are abandoned); a disabled endpoint answers as it is. */
@Controller()
export class DisableWebhookEndpointHandler {
  constructor(private readonly endpoints: WebhookEndpointCommands) {}

  @MessagePattern(COMMAND_SUBJECTS.disableWebhookEndpoint)
  async handle(
    @Payload(new RequestValidationPipe()) request: DisableWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointView> {
    const result = await this.endpoints.runAsCaller(call, request, 'DisableWebhookEndpoint');
    return webhookEndpointView(result.state, result.recordedAt);
  }
}
