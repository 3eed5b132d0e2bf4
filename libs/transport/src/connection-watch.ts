import type { NatsConnection } from 'nats';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Whether a service's NATS connections are up right now, for `/readyz`: a service that cannot
 * reach NATS answers nothing, so it must not say it is ready while nats.js reconnects. With a
 * registry, it also counts disconnects and reconnects per connection and exports whether each
 * is up (`keyward_nats_*`).
 */
export class ConnectionWatch {
  private readonly connections = new Set<NatsConnection>();
  private readonly down = new Set<NatsConnection>();
  private readonly metrics?: ConnectionMetrics;

  constructor(registry?: Registry) {
    if (registry) this.metrics = connectionMetrics(registry);
  }

  /** `name` labels the connection's series (`service`, `store`, …). */
  watch(connection: NatsConnection, name = 'service'): this {
    this.connections.add(connection);
    this.metrics?.connected.set({ connection: name }, 1);
    this.metrics?.reconnects.inc({ connection: name }, 0);
    this.metrics?.disconnects.inc({ connection: name }, 0);
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'disconnect') {
          this.down.add(connection);
          this.metrics?.disconnects.inc({ connection: name });
          this.metrics?.connected.set({ connection: name }, 0);
        } else if (status.type === 'reconnect') {
          this.down.delete(connection);
          this.metrics?.reconnects.inc({ connection: name });
          this.metrics?.connected.set({ connection: name }, 1);
        }
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

interface ConnectionMetrics {
  connected: Gauge<'connection'>;
  reconnects: Counter<'connection'>;
  disconnects: Counter<'connection'>;
}

function connectionMetrics(registry: Registry): ConnectionMetrics {
  const registers = [registry];
  return {
    connected: new Gauge({
      name: 'keyward_nats_connected',
      help: 'Whether the NATS connection is up (1) or reconnecting (0)',
      labelNames: ['connection'] as const,
      registers,
    }),
    reconnects: new Counter({
      name: 'keyward_nats_reconnects_total',
      help: 'Times the NATS connection came back after a disconnect',
      labelNames: ['connection'] as const,
      registers,
    }),
    disconnects: new Counter({
      name: 'keyward_nats_disconnects_total',
      help: 'Times the NATS connection was lost',
      labelNames: ['connection'] as const,
      registers,
    }),
  };
}
