import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  COMMAND_SUBJECTS as C,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_QUERY_SUBJECTS as Q,
  type Page,
  type WebhookDeliveryView,
  type WebhookEndpointCreatedReply,
  type WebhookEndpointView,
} from '@keyward/messaging';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { bodyWith, queryBody } from '../http/request-body';
import {
  ApiCaller,
  ApiIdempotent,
  ApiJsonBody,
  ApiOrgId,
  ApiPage,
  ApiPathId,
} from '../openapi/decorators';
import { ApiErrors } from '../openapi/error.schema';
import {
  DELIVERIES_EXAMPLE,
  REGISTERED_EXAMPLE,
  RegisteredWebhookEndpointSchema,
  RegisterWebhookEndpointBody,
  UpdateWebhookEndpointBody,
  WebhookDeliveryPageSchema,
  WebhookEndpointPageSchema,
  WebhookEndpointSchema,
} from '../openapi/webhook.schema';

const ORG_ADMINS =
  'Org admins only (`AUTH.FORBIDDEN` for anyone else, a service account with `admin` included).';
const FROM_NOTIFIER =
  "Read from the notifier's log, which follows the store: a change shows a moment after its reply.";

/** Webhook endpoints of the caller's organization and their delivery logs (docs/webhooks.md). */
@ApiTags('webhooks')
@ApiCaller()
@ApiOrgId()
@Controller('api/webhook/v1/endpoint')
export class WebhooksController {
  constructor(private readonly bus: KeywardBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a webhook endpoint',
    description:
      `${ORG_ADMINS} The reply carries the signing secret, once; the store keeps it sealed. ` +
      'Refusals: `WEBHOOK.INVALID_URL`, `WEBHOOK.URL_NOT_ALLOWED` (names why, e.g. "resolves to ' +
      '10.0.0.5, a private address"), `WEBHOOK.INVALID_FILTER` (400); 503 ' +
      '`WEBHOOK.NOT_CONFIGURED` when the deployment has no `KEYWARD_WEBHOOK_SECRET_KEY`.',
  })
  @ApiJsonBody(RegisterWebhookEndpointBody, 'The URL, and optionally a description and filter')
  @ApiIdempotent()
  @ApiResponse({
    status: 201,
    type: RegisteredWebhookEndpointSchema,
    description: 'The endpoint, enabled, and its signing secret',
    example: REGISTERED_EXAMPLE,
  })
  @ApiErrors(409)
  register(
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<WebhookEndpointCreatedReply>(
      C.registerWebhookEndpoint,
      bodyWith(body, { orgId }),
      edge,
    );
  }

  @Get()
  @ApiOperation({
    summary: 'List webhook endpoints',
    description: `${ORG_ADMINS} Newest first, with status and last delivery. ${FROM_NOTIFIER}`,
  })
  @ApiPage()
  @ApiOkResponse({ type: WebhookEndpointPageSchema })
  @ApiErrors(400)
  list(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<Page<WebhookEndpointView>>(Q.list, queryBody(query), edge);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Get a webhook endpoint',
    description: `${ORG_ADMINS} ${FROM_NOTIFIER}`,
  })
  @ApiPathId('id', 'endpointId')
  @ApiOkResponse({ type: WebhookEndpointSchema })
  @ApiErrors(400)
  get(@Param('id') id: string, @Query('orgId') orgId: string | undefined, @Edge() edge: EdgeCall) {
    return this.bus.call<WebhookEndpointView>(Q.get, bodyWith({}, { endpointId: id, orgId }), edge);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a webhook endpoint',
    description:
      `${ORG_ADMINS} Only the fields sent change; a new URL is checked as at registration. ` +
      'A change that changes nothing records nothing and answers the endpoint as it is.',
  })
  @ApiPathId('id', 'endpointId')
  @ApiJsonBody(UpdateWebhookEndpointBody, 'The fields to change')
  @ApiIdempotent()
  @ApiOkResponse({ type: WebhookEndpointSchema })
  update(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<WebhookEndpointView>(
      C.updateWebhookEndpoint,
      bodyWith(body, { endpointId: id, orgId }),
      edge,
    );
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disable a webhook endpoint',
    description:
      `${ORG_ADMINS} Nothing more is sent to it; its pending deliveries are abandoned. ` +
      'Disabling a disabled endpoint records nothing.',
  })
  @ApiPathId('id', 'endpointId')
  @ApiIdempotent()
  @ApiOkResponse({ type: WebhookEndpointSchema })
  @ApiErrors(400)
  disable(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<WebhookEndpointView>(
      C.disableWebhookEndpoint,
      bodyWith(body, { endpointId: id, orgId }),
      edge,
    );
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enable a webhook endpoint',
    description:
      `${ORG_ADMINS} Also after Keyward disabled it as failing; events from now on are sent. ` +
      'Enabling an enabled endpoint records nothing.',
  })
  @ApiPathId('id', 'endpointId')
  @ApiIdempotent()
  @ApiOkResponse({ type: WebhookEndpointSchema })
  @ApiErrors(400)
  enable(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<WebhookEndpointView>(
      C.enableWebhookEndpoint,
      bodyWith(body, { endpointId: id, orgId }),
      edge,
    );
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a webhook endpoint',
    description: `${ORG_ADMINS} Its pending deliveries are abandoned; its history stays in the audit log.`,
  })
  @ApiPathId('id', 'endpointId')
  @ApiIdempotent()
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(400)
  async remove(
    @Param('id') id: string,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ): Promise<void> {
    await this.bus.call<Record<string, never>>(
      C.deleteWebhookEndpoint,
      bodyWith({}, { endpointId: id, orgId }),
      edge,
    );
  }

  @Get(':id/delivery')
  @ApiOperation({
    summary: "A webhook endpoint's delivery log",
    description:
      `${ORG_ADMINS} Newest first: each delivery with every attempt (status code, latency, ` +
      `error). Finished deliveries are kept for KEYWARD_WEBHOOK_LOG_RETENTION_DAYS (7). ${FROM_NOTIFIER}`,
  })
  @ApiPathId('id', 'endpointId')
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', enum: [...WEBHOOK_DELIVERY_STATUSES] },
  })
  @ApiPage()
  @ApiOkResponse({ type: WebhookDeliveryPageSchema, example: DELIVERIES_EXAMPLE })
  @ApiErrors(400)
  deliveries(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<Page<WebhookDeliveryView>>(
      Q.deliveries,
      queryBody(query, { endpointId: id }),
      edge,
    );
  }
}
