import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { createEventStore, type EventStore } from '@keyward/event-store';
import { loadConfig, type CommandServiceConfig } from '../config';
import { CLOCK, CONFIG, EVENT_STORE, NATS_CONNECTION, type Clock } from '../tokens';

const systemClock: Clock = { now: () => Date.now() };

/** The service's connections: NATS for the store, and the store itself. */
@Global()
@Module({
  providers: [
    { provide: CONFIG, useFactory: () => loadConfig() },
    { provide: CLOCK, useValue: systemClock },
    {
      provide: NATS_CONNECTION,
      inject: [CONFIG],
      useFactory: (config: CommandServiceConfig) =>
        connect({ ...config.nats, name: 'keyward-command-store', noAsyncTraces: true }),
    },
    {
      provide: EVENT_STORE,
      inject: [NATS_CONNECTION, CONFIG],
      useFactory: (connection: NatsConnection, config: CommandServiceConfig) =>
        createEventStore({ ...config.eventStore, natsConnection: connection }),
    },
  ],
  exports: [CONFIG, CLOCK, NATS_CONNECTION, EVENT_STORE],
})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.connection.drain();
  }
}
