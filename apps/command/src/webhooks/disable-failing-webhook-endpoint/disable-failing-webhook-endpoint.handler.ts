import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { COMMAND_SUBJECTS, type WebhookEndpointView } from '@keyward/messaging';
import { Call, type CallContext, notePrincipal, RequestValidationPipe } from '@keyward/transport';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { contextFor } from '../../shared/command-scope';
import { OperatorToken } from '../../shared/operator-token';
import { WebhookEndpointCommands } from '../webhook-endpoint-commands';
import { webhookEndpointView } from '../webhook-endpoint-view';
import { DisableFailingWebhookEndpointRequestDto } from './disable-failing-webhook-endpoint.request';

/**
 * The notifier gave up on an endpoint (every attempt failed for
 * `KEYWARD_WEBHOOK_DISABLE_AFTER_SECONDS`): disabled as `failing`, recorded as Keyward's own
 * act (`system`). Authenticated by the operator token, like bootstrap.
 */
@Controller()
export class DisableFailingWebhookEndpointHandler {
  constructor(
    private readonly operatorToken: OperatorToken,
    private readonly pipeline: CommandPipeline,
    private readonly endpoints: WebhookEndpointCommands,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.disableFailingWebhookEndpoint)
  async handle(
    @Payload(new RequestValidationPipe()) request: DisableFailingWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointView> {
    this.operatorToken.check(call.operatorToken, 'disabling a failing webhook endpoint');
    notePrincipal(call, 'system');
    const { orgId, failingSince, lastError } = request;
    const context = {
      ...contextFor(call, { kind: 'system' }, orgId),
      readBarrier: this.pipeline.barrier(),
    };
    const result = await this.endpoints.run(request.endpointId, context, {
      type: 'DisableFailingWebhookEndpoint',
      data: { orgId, failingSince, lastError },
    });
    return webhookEndpointView(result.state, result.recordedAt);
  }
}
