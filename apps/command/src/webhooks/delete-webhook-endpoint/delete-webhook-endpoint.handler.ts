import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { COMMAND_SUBJECTS, type DeleteWebhookEndpointReply } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { WebhookEndpointCommands } from '../webhook-endpoint-commands';
import { DeleteWebhookEndpointRequestDto } from './delete-webhook-endpoint.request';

/** Deleting is final: the endpoint is then not found, by every command and query. */
@Controller()
export class DeleteWebhookEndpointHandler {
  constructor(private readonly endpoints: WebhookEndpointCommands) {}

  @MessagePattern(COMMAND_SUBJECTS.deleteWebhookEndpoint)
  async handle(
    @Payload(new RequestValidationPipe()) request: DeleteWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<DeleteWebhookEndpointReply> {
    await this.endpoints.runAsCaller(call, request, 'DeleteWebhookEndpoint');
    return {};
  }
}
