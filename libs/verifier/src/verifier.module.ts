import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { createEventStore, type EventStore } from '@keyward/event-store';
import { loadConfig, type VerifierConfig } from './config';
import { CONFIG, EVENT_STORE, NATS_CONNECTION, NODE_OPTIONS } from './tokens';
import { UsageRecorder } from './usage/usage-recorder';
import { VerifierNode, type VerifierNodeOptions } from './verifier-node';

export interface VerifierModuleOptions extends VerifierNodeOptions {
  /**
   * The app that hosts the node when it is not a verifier process (e.g. `gateway`): it names
   * the node (`gateway-<host>-<pid>-<random>`) and its NATS connection.
   */
  hostedBy?: string;
}

/**
 * One verifier node with its own NATS connection (for the store, the propagation subjects and
 * the usage stream) and the store on it. The auth-verifier app is this module alone; another
 * app (the gateway) imports it to answer verify and authorize in process as one more node on
 * the roster. `VerifierNode` is exported (globally) for the host's routes and probes.
 */
@Module({})
export class VerifierModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
  ) {}

  static forRoot(options: VerifierModuleOptions = { answerNats: true }): DynamicModule {
    const { hostedBy, ...nodeOptions } = options;
    const connectionName = hostedBy ? `keyward-${hostedBy}-verifier` : 'keyward-auth-verifier';
    return {
      module: VerifierModule,
      global: true,
      providers: [
        { provide: CONFIG, useFactory: () => loadConfig(process.env, hostedBy) },
        { provide: NODE_OPTIONS, useValue: nodeOptions },
        {
          provide: NATS_CONNECTION,
          inject: [CONFIG],
          useFactory: async (config: VerifierConfig) => {
            const connection = await connect({
              ...config.nats,
              name: `${connectionName}-${config.verifierId}`,
              noAsyncTraces: true,
              maxReconnectAttempts: -1,
            });
            await UsageRecorder.ensureStream(
              await connection.jetstreamManager(),
              config.eventStore.jetStream.replicas,
            );
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
      exports: [VerifierNode],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}
