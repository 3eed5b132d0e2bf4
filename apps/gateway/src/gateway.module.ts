import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { AuthModule } from './auth/auth.module';
import { KeywardBus } from './bus/keyward-bus';
import { CONFIG, NATS_CONNECTION } from './bus/tokens';
import { loadConfig, type GatewayConfig } from './config';
import { AuditController } from './routes/audit.controller';
import { AuditExportController } from './routes/audit-export.controller';
import { HealthController } from './routes/health.controller';
import { KeysController } from './routes/keys.controller';
import { LeakReportController } from './leak-report/leak-report.controller';
import { MeController } from './routes/me.controller';
import { MembersController } from './routes/members.controller';
import { OrganizationController } from './routes/organization.controller';
import { ServiceAccountsController } from './routes/service-accounts.controller';
import { WebhooksController } from './routes/webhooks.controller';

/** The HTTP edge: every route one NATS request to the service that decides it. */
@Global()
@Module({
  imports: [AuthModule],
  controllers: [
    ServiceAccountsController,
    KeysController,
    LeakReportController,
    MeController,
    MembersController,
    OrganizationController,
    WebhooksController,
    AuditController,
    AuditExportController,
    HealthController,
  ],
  providers: [
    { provide: CONFIG, useFactory: () => loadConfig() },
    {
      provide: NATS_CONNECTION,
      inject: [CONFIG],
      useFactory: (config: GatewayConfig) =>
        connect({
          ...config.nats,
          name: 'keyward-gateway',
          noAsyncTraces: true,
          maxReconnectAttempts: -1,
        }),
    },
    KeywardBus,
  ],
  exports: [CONFIG, NATS_CONNECTION, KeywardBus],
})
export class GatewayModule implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}
