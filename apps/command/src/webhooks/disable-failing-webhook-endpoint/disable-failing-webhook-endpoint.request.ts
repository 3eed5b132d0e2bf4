import { IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { ID_PATTERNS, type DisableFailingWebhookEndpointRequest } from '@keyward/messaging';
import { EndpointId } from '@keyward/transport';

/** Sent by the notifier: the endpoint's org is named, not taken from a caller's key. */
export class DisableFailingWebhookEndpointRequestDto implements DisableFailingWebhookEndpointRequest {
  @IsString()
  @Matches(ID_PATTERNS.orgId, { message: 'orgId must be lowercase letters, digits and dashes' })
  orgId!: string;

  @EndpointId() endpointId!: string;

  @IsISO8601({ strict: true }, { message: 'failingSince must be an ISO 8601 time' })
  failingSince!: string;

  /** The decider keeps the first 500 characters; anything far longer is not an error message. */
  @IsString()
  @MaxLength(10_000)
  lastError!: string;
}
