import type { NatsConnection } from 'nats';

/**
 * Whether a service's NATS connections are up right now, for `/readyz`: a service that cannot
 * reach NATS answers nothing, so it must not say it is ready while nats.js reconnects.
 */
export class ConnectionWatch {
  private readonly connections = new Set<NatsConnection>();
  private readonly down = new Set<NatsConnection>();

  watch(connection: NatsConnection): this {
    this.connections.add(connection);
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'disconnect') this.down.add(connection);
        else if (status.type === 'reconnect') this.down.delete(connection);
      }
    })();
    return this;
  }

  connected(): boolean {
    if (this.down.size > 0) return false;
    for (const connection of this.connections) if (connection.isClosed()) return false;
    return true;
  }
}
