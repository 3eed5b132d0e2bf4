import { Allow } from 'class-validator';
import type { RegisterWebhookEndpointRequest } from '@keyward/messaging';
import { OptionalOrgId } from '@keyward/transport';
import { OptionalWebhookDescription, WebhookUrl } from '../webhook-fields';

export class RegisterWebhookEndpointRequestDto implements RegisterWebhookEndpointRequest {
  @OptionalOrgId() orgId?: string;
  @WebhookUrl() url!: string;
  @OptionalWebhookDescription() description?: string;
  /** Checked by the handler, so a bad filter answers `WEBHOOK.INVALID_FILTER`. */
  @Allow() eventTypes?: string[] | null;
}
