import { Allow } from 'class-validator';
import type { UpdateWebhookEndpointRequest } from '@keyward/messaging';
import { EndpointId, OptionalOrgId } from '@keyward/transport';
import { OptionalWebhookDescription, OptionalWebhookUrl } from '../webhook-fields';

/** Absent fields are left as they are; `eventTypes: null` means every type. */
export class UpdateWebhookEndpointRequestDto implements UpdateWebhookEndpointRequest {
  @OptionalOrgId() orgId?: string;
  @EndpointId() endpointId!: string;
  @OptionalWebhookUrl() url?: string;
  @OptionalWebhookDescription() description?: string;
  /** Checked by the handler, so a bad filter answers `WEBHOOK.INVALID_FILTER`. */
  @Allow() eventTypes?: string[] | null;
}
