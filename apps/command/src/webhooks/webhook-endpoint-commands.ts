import { Injectable } from '@nestjs/common';
import {
  webhookEndpointDecider,
  webhookEndpointStream,
  type DeleteWebhookEndpoint,
  type DisableWebhookEndpoint,
  type EnableWebhookEndpoint,
  type WebhookEndpointCommand,
  type WebhookEndpointEvent,
  type WebhookEndpointState,
} from '@keyward/domain';
import type { CallContext } from '@keyward/transport';
import type { CommandContext } from '../pipeline/command-context';
import { CommandPipeline, type PipelineResult } from '../pipeline/command-pipeline';
import { CommandScope } from '../shared/command-scope';

export type WebhookEndpointResult = PipelineResult<WebhookEndpointEvent, WebhookEndpointState>;

/** The commands that carry only who asked. */
type CallerCommand = DisableWebhookEndpoint | EnableWebhookEndpoint | DeleteWebhookEndpoint;

/**
 * How every webhook command reaches the store: on its endpoint's stream, through the pipeline
 * (a retry with the same Idempotency-Key replays the first run).
 */
@Injectable()
export class WebhookEndpointCommands {
  constructor(
    private readonly scope: CommandScope,
    private readonly pipeline: CommandPipeline,
  ) {}

  run(
    endpointId: string,
    context: CommandContext,
    command: WebhookEndpointCommand,
  ): Promise<WebhookEndpointResult> {
    return this.pipeline.run({
      streamName: webhookEndpointStream(endpointId),
      decider: webhookEndpointDecider,
      commandType: command.type,
      context,
      command: () => command,
    });
  }

  /** Disable, enable or delete, as the authenticated caller, in the request's organization. */
  async runAsCaller(
    call: CallContext,
    request: { orgId?: string; endpointId: string },
    type: CallerCommand['type'],
  ): Promise<WebhookEndpointResult> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    return this.run(request.endpointId, context, { type, data: { actor } });
  }
}
