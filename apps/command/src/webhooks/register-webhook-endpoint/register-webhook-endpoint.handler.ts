import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { requireOrgAdmin, type RegisterWebhookEndpoint } from '@keyward/domain';
import { COMMAND_SUBJECTS, type WebhookEndpointCreatedReply } from '@keyward/messaging';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';
import { CommandScope } from '../../shared/command-scope';
import { newId } from '../../shared/ids';
import { WebhookEndpointCommands } from '../webhook-endpoint-commands';
import { checkedEventTypes } from '../webhook-event-filter';
import { webhookEndpointView } from '../webhook-endpoint-view';
import { WebhookSecrets } from '../webhook-secrets';
import { WebhookUrlPolicy } from '../webhook-url-policy';
import { RegisterWebhookEndpointRequestDto } from './register-webhook-endpoint.request';

/**
 * Registers an endpoint and answers its signing secret, once. A retry with the same
 * Idempotency-Key gets the same endpoint id (so the pipeline replays the first run) and the
 * same secret, opened from the sealed copy the first run stored: never a second secret that
 * the store does not hold.
 */
@Controller()
export class RegisterWebhookEndpointHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly endpoints: WebhookEndpointCommands,
    private readonly secrets: WebhookSecrets,
    private readonly urls: WebhookUrlPolicy,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.registerWebhookEndpoint)
  async handle(
    @Payload(new RequestValidationPipe()) request: RegisterWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointCreatedReply> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    // Before any DNS lookup: only an org admin may have Keyward resolve names.
    requireOrgAdmin(actor, 'register webhook endpoints');
    this.secrets.requireConfigured();
    const eventTypes = checkedEventTypes(request.eventTypes) ?? null;
    const url = await this.urls.check(request.url);
    const endpointId = newId('whe', context.idempotencyKey, 'register-webhook-endpoint');
    const { secret, sealedSecret } = this.secrets.mint(endpointId);
    const command: RegisterWebhookEndpoint = {
      type: 'RegisterWebhookEndpoint',
      data: {
        actor,
        endpointId,
        url,
        description: request.description ?? '',
        eventTypes,
        sealedSecret,
      },
    };
    const result = await this.endpoints.run(endpointId, context, command);
    const view = webhookEndpointView(result.state, result.recordedAt);
    const stored = result.state.type === 'Active' ? result.state.data.sealedSecret : sealedSecret;
    return { ...view, secret: result.replayed ? this.secrets.open(stored, endpointId) : secret };
  }
}
