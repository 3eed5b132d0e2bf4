import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import {
  StreamsService,
  type IStreamsServer,
} from '@eventstore/db-client/generated/streams_grpc_pb';
import { handleAppend } from './append-handler';
import { EventLog } from './event-log';
import { grpcError, handleRead } from './read-handler';

/**
 * A small EventStoreDB stand-in that speaks its gRPC wire protocol with the client package's own
 * service definition (`streams.proto`): Streams.Append and Streams.Read (streams, `$all`,
 * catch-up subscriptions to `$all`). Every other service, ServerFeatures included, answers
 * UNIMPLEMENTED, which makes the client fall back to Append. Storage is in memory and survives
 * `stop()`/`start()` on the same port, like a server restart.
 */
export class EventStoreDbWireServer {
  readonly log = new EventLog();
  private server: Server | undefined;
  private boundPort = 0;

  /** `esdb://` connection string for the client; insecure, single node. */
  get url(): string {
    return `esdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Listens on `port` (0: a free one; default: the port it had before a stop). */
  async start(port = this.boundPort): Promise<this> {
    if (this.server) return this;
    const server = new Server();
    const streams: IStreamsServer = {
      read: (call) => handleRead(this.log, call),
      append: (call, callback) => handleAppend(this.log, call, callback),
      delete: (_call, callback) => callback(grpcError(status.UNIMPLEMENTED, 'Delete')),
      tombstone: (_call, callback) => callback(grpcError(status.UNIMPLEMENTED, 'Tombstone')),
      batchAppend: (call) => call.destroy(grpcError(status.UNIMPLEMENTED, 'BatchAppend')),
    };
    server.addService(StreamsService, streams);
    this.boundPort = await bindRetrying(server, port);
    this.server = server;
    return this;
  }

  /** Drops every connection at once, as a crashed or restarted server would. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.forceShutdown();
  }
}

/** A port just released by a stopped server can take a moment to be free again. */
async function bindRetrying(server: Server, port: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<number>((resolve, reject) =>
        server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
          error ? reject(error) : resolve(bound),
        ),
      );
    } catch (error) {
      if (port === 0 || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
