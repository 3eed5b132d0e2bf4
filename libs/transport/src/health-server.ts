import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthChecks {
  /** Ready to serve: connected and caught up with the store. */
  ready: () => boolean;
  /** Served as `/metrics` (Prometheus text format) when given. */
  metrics?: Registry;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz` (the process is alive), `/readyz` (it can serve) and `/metrics` for Kubernetes
 * probes, load balancers and Prometheus, on `HEALTH_PORT`. Services that speak only NATS need
 * nothing more of HTTP.
 */
export function startHealthServer(port: number, checks: HealthChecks): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === '/metrics' && checks.metrics) {
      serveMetrics(checks.metrics, response);
      return;
    }
    const ok = path === '/healthz' ? true : path === '/readyz' ? checks.ready() : null;
    response.writeHead(ok === null ? 404 : ok ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: ok === null ? 'not found' : ok ? 'ok' : 'unavailable' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(handle(server)));
  });
}

function serveMetrics(registry: Registry, response: ServerResponse): void {
  registry.metrics().then(
    (text) => {
      response.writeHead(200, { 'content-type': registry.contentType });
      response.end(text);
    },
    (error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(
        `metrics unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  );
}

function handle(server: Server): HealthServer {
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
