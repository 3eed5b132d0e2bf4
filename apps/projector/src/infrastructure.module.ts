import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import type { EventStore } from '@keyward/event-store';
import { CallerAuthenticator, CursorCodec } from '@keyward/transport';
import { loadConfig, openEventStore, type ProjectorConfig } from './config';
import { openReadModelDb, type Db } from './store/read-model-db';
import { CONFIG, EVENT_STORE, NATS_CONNECTION, READ_MODEL_DB } from './tokens';

/** The projector's connections: NATS, the event store, and its SQLite file. */
@Global()
@Module({
  providers: [
    { provide: CONFIG, useFactory: () => loadConfig() },
    {
      provide: READ_MODEL_DB,
      inject: [CONFIG],
      useFactory: (config: ProjectorConfig) =>
        openReadModelDb(config.databasePath, {
          onVersionChange: (stored, current) =>
            new Logger('Projector').warn(
              `read models of version ${stored ?? 1} dropped for version ${current}: ` +
                'replaying the store and the usage stream before serving queries',
            ),
        }),
    },
    {
      provide: NATS_CONNECTION,
      inject: [CONFIG],
      useFactory: (config: ProjectorConfig) =>
        connect({ ...config.nats, name: 'keyward-projector-store', noAsyncTraces: true }),
    },
    {
      provide: EVENT_STORE,
      inject: [NATS_CONNECTION, CONFIG],
      useFactory: (connection: NatsConnection, config: ProjectorConfig) =>
        openEventStore(connection, config),
    },
    {
      provide: CursorCodec,
      inject: [READ_MODEL_DB, CONFIG],
      useFactory: (db: Db, config: ProjectorConfig) =>
        CursorCodec.fromSecret(config.cursorSecret, (fresh) => {
          db.prepare(`INSERT OR IGNORE INTO meta (name, value) VALUES ('cursor_secret', ?)`).run(
            fresh,
          );
          return String(
            db.prepare(`SELECT value FROM meta WHERE name = 'cursor_secret'`).pluck().get(),
          );
        }),
    },
    {
      provide: CallerAuthenticator,
      inject: [NATS_CONNECTION, CONFIG],
      useFactory: (connection: NatsConnection, config: ProjectorConfig) =>
        new CallerAuthenticator(connection, config),
    },
  ],
  exports: [CONFIG, READ_MODEL_DB, NATS_CONNECTION, EVENT_STORE, CursorCodec, CallerAuthenticator],
})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(READ_MODEL_DB) private readonly db: Db,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.connection.drain();
    this.db.close();
  }
}
