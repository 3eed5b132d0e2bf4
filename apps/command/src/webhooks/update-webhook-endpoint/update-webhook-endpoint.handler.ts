import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { requireOrgAdmin, type UpdateWebhookEndpoint } from '@keyward/domain';
import { COMMAND_SUBJECTS, type WebhookEndpointView } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { CommandScope } from '../../shared/command-scope';
import { WebhookEndpointCommands } from '../webhook-endpoint-commands';
import { checkedEventTypes } from '../webhook-event-filter';
import { webhookEndpointView } from '../webhook-endpoint-view';
import { WebhookUrlPolicy } from '../webhook-url-policy';
import { UpdateWebhookEndpointRequestDto } from './update-webhook-endpoint.request';

@Controller()
export class UpdateWebhookEndpointHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly endpoints: WebhookEndpointCommands,
    private readonly urls: WebhookUrlPolicy,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.updateWebhookEndpoint)
  async handle(
    @Payload(new RequestValidationPipe()) request: UpdateWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointView> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    requireOrgAdmin(actor, 'update webhook endpoints');
    const eventTypes = checkedEventTypes(request.eventTypes);
    const url = request.url === undefined ? undefined : await this.urls.check(request.url);
    const command: UpdateWebhookEndpoint = {
      type: 'UpdateWebhookEndpoint',
      data: {
        actor,
        ...(url === undefined ? {} : { url }),
        ...(request.description === undefined ? {} : { description: request.description }),
        ...(eventTypes === undefined ? {} : { eventTypes }),
      },
    };
    const result = await this.endpoints.run(request.endpointId, context, command);
    return webhookEndpointView(result.state, result.recordedAt);
  }
}
