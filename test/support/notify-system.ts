import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { createEventStore, type EventStore, type RecordedEvent } from '@keyward/event-store';
import { startSystem, type RunningSystem, type SystemOptions } from '../../scripts/lib/system';
import { EventStoreDbWireServer } from '../eventstoredb-wire-server/wire-server';
import { bootstrapOverHttp } from './bootstrap';
import { NotifySubscriber, type HeardNotification } from './notify-subscriber';
import { request, type RestReply } from './rest';

export interface NotifySystemOptions {
  /** The data directory's name prefix (under the OS temp directory). */
  name: string;
  /** On the EventStoreDB wire-compatible server instead of JetStream. */
  eventStoreDb?: boolean;
  /** Extra environment for every service. */
  env?: NodeJS.ProcessEnv;
  /** More of `startSystem`'s options; by default one verifier. */
  processes?: Omit<SystemOptions, 'dataDir' | 'rootDir' | 'env'>;
}

/**
 * `npm run up`'s processes for a notification test: the store (JetStream or the EventStoreDB
 * wire-compatible server), the operator's NATS connection hearing every notification, a reader
 * on the store, and organization `acme` bootstrapped, driven over REST as its admin. Made at
 * collection (nothing runs), started in beforeAll, stopped in afterAll: `stop` stops what did
 * start, also after a failed `start`.
 */
export class NotifySystem {
  private readonly subscriber = new NotifySubscriber();
  /** Every notification heard, in arrival order; the same array from construction on. */
  readonly heard: HeardNotification[] = this.subscriber.heard;
  private dataDir: string | undefined;
  private wireServer: EventStoreDbWireServer | undefined;
  private running: RunningSystem | undefined;
  private connection: NatsConnection | undefined;
  private reader: EventStore | undefined;
  private adminKey: string | undefined;

  constructor(private readonly options: NotifySystemOptions) {}

  async start(): Promise<void> {
    try {
      this.dataDir = mkdtempSync(join(tmpdir(), `${this.options.name}-`));
      const env: NodeJS.ProcessEnv = { ...this.options.env };
      if (this.options.eventStoreDb) {
        this.wireServer = await new EventStoreDbWireServer().start(0);
        env.EVENT_STORE_URL = this.wireServer.url;
      }
      this.running = await startSystem({
        verifiers: 1,
        ...this.options.processes,
        dataDir: this.dataDir,
        rootDir: resolve(__dirname, '../..'),
        env,
      });
      this.connection = await connect(this.running.natsSettings('operator'));
      this.reader = await createEventStore({
        eventStoreUrl: env.EVENT_STORE_URL,
        natsConnection: this.connection,
        reader: true,
      });
      await this.subscriber.start(this.connection);
      this.adminKey = await bootstrapOverHttp(this.running, 'acme');
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  get system(): RunningSystem {
    return started(this.running);
  }

  /** The operator's NATS connection. */
  get operator(): NatsConnection {
    return started(this.connection);
  }

  /** A reader on the system's store. */
  get store(): EventStore {
    return started(this.reader);
  }

  /** The key of `acme`'s admin (member `owner`). */
  get admin(): string {
    return started(this.adminKey);
  }

  /** A REST request to the gateway as `acme`'s admin. */
  readonly http = <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<RestReply<T>> => request<T>(this.system.gatewayUrl, this.admin, method, path, body);

  /** The store's events from the start up to its head, as they are stored. */
  async storeEvents(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const subscription = this.store.subscribeToAll({ from: 'start' });
    for await (const item of subscription) {
      if (item.kind === 'caught-up') break;
      events.push(item.event);
    }
    await subscription.stop();
    return events;
  }

  /** The store's head position, as a string (to compare before and after). */
  async head(): Promise<string> {
    return String(await this.store.headPosition());
  }

  async stop(): Promise<void> {
    this.subscriber.stop();
    await this.reader?.close();
    await this.connection?.close();
    await this.running?.stop();
    await this.wireServer?.stop();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the system is not started (see beforeAll)');
  return value;
}
