import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENT_WILDCARDS,
  WEBHOOK_LIMITS,
} from '@keyward/messaging';
import { ID } from './fields';

/** The webhook routes' bodies and replies (docs/webhooks.md), bounded by WEBHOOK_LIMITS. */
const { urlMaxLength, descriptionMaxLength, filterMaxEntries } = WEBHOOK_LIMITS;

const URL_RULES =
  '`https:` to a host whose addresses are public, or `http:` to a loopback host (development). ' +
  `No user:password, no fragment, at most ${urlMaxLength} characters. Private, loopback, ` +
  'link-local ' +
  '(169.254.169.254 included), CGNAT, multicast and reserved addresses are refused ' +
  '(`WEBHOOK.URL_NOT_ALLOWED`, naming why) unless inside `KEYWARD_WEBHOOK_ALLOWED_NETWORKS`; a ' +
  'name is resolved at registration and again at every delivery, and redirects are never followed.';

const FILTER: ApiPropertyOptions = {
  type: 'array',
  nullable: true,
  minItems: 1,
  maxItems: filterMaxEntries,
  items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES, ...WEBHOOK_EVENT_WILDCARDS] },
  example: ['key.revoked', 'key.expiring_soon', 'service_account.*'],
  description:
    'The notification types to send, or a prefix wildcard (`key.*`); null or absent: every ' +
    'type. Duplicates are dropped, order kept (`WEBHOOK.INVALID_FILTER` for an unknown type)',
};

const DESCRIPTION: ApiPropertyOptions = {
  type: 'string',
  maxLength: descriptionMaxLength,
  example: 'Revocations into the SIEM',
  description: `Free text, at most ${descriptionMaxLength} characters`,
};

/** `POST /api/webhook/v1/endpoint`. */
export class RegisterWebhookEndpointBody {
  @ApiProperty({
    type: 'string',
    format: 'uri',
    maxLength: urlMaxLength,
    example: 'https://hooks.example.com/keyward',
    description: `Where deliveries are POSTed. ${URL_RULES}`,
  })
  url!: string;

  @ApiPropertyOptional({ ...DESCRIPTION, default: '' })
  description?: string;

  @ApiPropertyOptional({ ...FILTER, default: null })
  eventTypes?: string[] | null;
}

/** `PATCH /api/webhook/v1/endpoint/{id}`: only the fields sent change. */
export class UpdateWebhookEndpointBody {
  @ApiPropertyOptional({
    type: 'string',
    format: 'uri',
    maxLength: urlMaxLength,
    example: 'https://hooks.example.com/keyward/v2',
    description: `A new URL, checked as at registration. ${URL_RULES}`,
  })
  url?: string;

  @ApiPropertyOptional(DESCRIPTION)
  description?: string;

  @ApiPropertyOptional(FILTER)
  eventTypes?: string[] | null;
}

const epochSeconds = (description: string, nullable = false): ApiPropertyOptions => ({
  type: 'integer',
  format: 'int64',
  example: 1767225600,
  description: `${description} (epoch seconds)`,
  ...(nullable ? { nullable: true } : {}),
});

const epochMs = (description: string, nullable = false): ApiPropertyOptions => ({
  type: 'integer',
  format: 'int64',
  example: 1767225600123,
  description: `${description} (epoch milliseconds)`,
  ...(nullable ? { nullable: true } : {}),
});

/** An endpoint: never its secret, which only the registration's reply carries. */
export class WebhookEndpointSchema {
  @ApiProperty({ ...ID.endpointId })
  id!: string;

  @ApiProperty({ type: 'string', example: 'https://hooks.example.com/keyward' })
  url!: string;

  @ApiProperty({ type: 'string', example: 'Revocations into the SIEM' })
  description!: string;

  @ApiProperty({
    type: 'array',
    nullable: true,
    items: { type: 'string' },
    example: ['key.revoked', 'service_account.*'],
    description: 'null: every type',
  })
  eventTypes!: string[] | null;

  @ApiProperty({ enum: ['enabled', 'disabled'], example: 'enabled' })
  status!: string;

  @ApiProperty({
    enum: ['manual', 'failing'],
    nullable: true,
    example: null,
    description:
      '`failing`: Keyward disabled it after its deliveries failed for a day ' +
      '(`KEYWARD_WEBHOOK_DISABLE_AFTER_SECONDS`); null while enabled',
  })
  disabledReason!: string | null;

  @ApiProperty(epochSeconds('When it was registered'))
  createdAt!: number;

  @ApiProperty(epochSeconds('Its last change'))
  updatedAt!: number;

  @ApiProperty(
    epochSeconds(
      'Since when every attempt has failed; null in the replies of changes, which come from the store',
      true,
    ),
  )
  failingSince!: number | null;

  @ApiProperty(
    epochSeconds('Its last finished delivery; null in the replies of changes, as above', true),
  )
  lastDeliveryAt!: number | null;

  @ApiProperty({
    enum: ['delivered', 'failed'],
    nullable: true,
    example: 'delivered',
    description: 'How its last delivery ended; null in the replies of changes',
  })
  lastDeliveryStatus!: string | null;
}

export class RegisteredWebhookEndpointSchema extends WebhookEndpointSchema {
  @ApiProperty({
    type: 'string',
    pattern: '^whsec_[A-Za-z0-9+/]{43}=$',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3oMm8Yx3HbE=',
    description:
      'The signing secret (Standard Webhooks: HMAC-SHA256 keyed by the base64 after `whsec_`), ' +
      'in this reply only (and in the reply to a retry with the same Idempotency-Key, which ' +
      'registers nothing new); the store keeps it sealed',
  })
  secret!: string;
}

export class WebhookEndpointPageSchema {
  @ApiProperty({ type: () => [WebhookEndpointSchema], description: 'Newest first' })
  items!: WebhookEndpointSchema[];

  @ApiProperty({ type: 'string', nullable: true, description: 'null on the last page' })
  nextCursor!: string | null;
}

export class WebhookAttemptSchema {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  attempt!: number;

  @ApiProperty(epochMs('When it was sent'))
  at!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 200,
    description: "The endpoint's HTTP status; null when no answer came (timeout, refused)",
  })
  statusCode!: number | null;

  @ApiProperty({ type: 'integer', minimum: 0, example: 84 })
  latencyMs!: number;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: null,
    description: 'Why it failed (e.g. "redirect not followed", "timed out after 10000 ms")',
  })
  error!: string | null;

  @ApiProperty({ enum: ['delivered', 'failed'], example: 'delivered' })
  outcome!: string;
}

export class WebhookDeliverySchema {
  @ApiProperty({
    type: 'string',
    example: '0190f3a2-5c1e-7b3d-9a4f-2e6b8c1d0f42',
    description: "The `webhook-id` header: the notification's eventId, the same on every retry",
  })
  id!: string;

  @ApiProperty({ enum: [...WEBHOOK_EVENT_TYPES], example: 'key.revoked' })
  type!: string;

  @ApiProperty({ type: 'string', example: '1179648', description: 'Store position (decimal)' })
  position!: string;

  @ApiProperty({
    enum: [...WEBHOOK_DELIVERY_STATUSES],
    example: 'delivered',
    description:
      '`failed`: gave up after the retry window (a day); `abandoned`: the endpoint was ' +
      'disabled or deleted first',
  })
  status!: string;

  @ApiProperty(epochMs('When it was queued'))
  createdAt!: number;

  @ApiProperty(epochMs('The next attempt; null once finished', true))
  nextAttemptAt!: number | null;

  @ApiProperty({ type: () => [WebhookAttemptSchema], description: 'Oldest first' })
  attempts!: WebhookAttemptSchema[];
}

export class WebhookDeliveryPageSchema {
  @ApiProperty({ type: () => [WebhookDeliverySchema], description: 'Newest first' })
  items!: WebhookDeliverySchema[];

  @ApiProperty({ type: 'string', nullable: true, description: 'null on the last page' })
  nextCursor!: string | null;
}

/** The reply of a registration, as the document's example. */
export const REGISTERED_EXAMPLE = {
  id: 'whe_0123456789abcdef0123456789abcdef',
  url: 'https://hooks.example.com/keyward',
  description: 'Revocations into the SIEM',
  eventTypes: ['key.revoked', 'service_account.*'],
  status: 'enabled',
  disabledReason: null,
  createdAt: 1767225600,
  updatedAt: 1767225600,
  failingSince: null,
  lastDeliveryAt: null,
  lastDeliveryStatus: null,
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3oMm8Yx3HbE=',
};

/** One page of a delivery log, as the document's example: a retry that succeeded. */
export const DELIVERIES_EXAMPLE = {
  items: [
    {
      id: '0190f3a2-5c1e-7b3d-9a4f-2e6b8c1d0f42',
      type: 'key.revoked',
      position: '1179648',
      status: 'delivered',
      createdAt: 1767225600123,
      nextAttemptAt: null,
      attempts: [
        {
          attempt: 1,
          at: 1767225600180,
          statusCode: 503,
          latencyMs: 41,
          error: 'answered 503',
          outcome: 'failed',
        },
        {
          attempt: 2,
          at: 1767225604950,
          statusCode: 200,
          latencyMs: 84,
          error: null,
          outcome: 'delivered',
        },
      ],
    },
  ],
  nextCursor: null,
};
