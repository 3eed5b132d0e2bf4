import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { createEventStore, type EventStore } from '@keyward/event-store';
import { loadConfig, type VerifierConfig } from './config';
import { CONFIG, EVENT_STORE, NATS_CONNECTION } from './tokens';
import { UsageRecorder } from './usage/usage-recorder';
import { VerifierNode } from './verifier-node';

/** One NATS connection for the store, the hot path and the usage stream; the store on it. */
@Global()
@Module({
  providers: [
    { provide: CONFIG, useFactory: () => loadConfig() },
    {
      provide: NATS_CONNECTION,
      inject: [CONFIG],
      useFactory: async (config: VerifierConfig) => {
        const connection = await connect({
          ...config.nats,
          name: `keyward-auth-verifier-${config.verifierId}`,
          noAsyncTraces: true,
          maxReconnectAttempts: -1,
        });
        await UsageRecorder.ensureStream(await connection.jetstreamManager());
        return connection;
      },
    },
    {
      provide: EVENT_STORE,
      inject: [NATS_CONNECTION, CONFIG],
      useFactory: (connection: NatsConnection, config: VerifierConfig) =>
        createEventStore({ ...config.eventStore, natsConnection: connection, reader: true }),
    },
    VerifierNode,
  ],
})
export class VerifierModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.connection.drain();
  }
}
