import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CallerAuthenticator, CursorCodec, RpcErrorFilter } from '@keyward/transport';
import { GetWebhookEndpointHandler } from './get-webhook-endpoint/get-webhook-endpoint.handler';
import { ListWebhookDeliveriesHandler } from './list-webhook-deliveries/list-webhook-deliveries.handler';
import { ListWebhookEndpointsHandler } from './list-webhook-endpoints/list-webhook-endpoints.handler';
import { WebhookQueryAccess } from './webhook-query-access';
import { WEBHOOK_READS, type WebhookReads } from './webhook-reads';

export interface WebhookQueryDeps {
  callers: CallerAuthenticator;
  cursors: CursorCodec;
  reads: WebhookReads;
}

/** The notifier's NATS queries (`kw.query.webhook.*`), over what the notifier already holds. */
@Module({})
export class WebhookQueriesModule {
  static register(deps: WebhookQueryDeps): DynamicModule {
    return {
      module: WebhookQueriesModule,
      controllers: [
        ListWebhookEndpointsHandler,
        GetWebhookEndpointHandler,
        ListWebhookDeliveriesHandler,
      ],
      providers: [
        { provide: APP_FILTER, useClass: RpcErrorFilter },
        { provide: CallerAuthenticator, useValue: deps.callers },
        { provide: CursorCodec, useValue: deps.cursors },
        { provide: WEBHOOK_READS, useValue: deps.reads },
        WebhookQueryAccess,
      ],
    };
  }
}
