import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthChecks {
  /** Ready to serve: connected and caught up with the store. */
  ready: () => boolean;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz` (the process is alive) and `/readyz` (it can serve) for Kubernetes probes and
 * load balancers, on `HEALTH_PORT`. Services that speak only NATS need nothing more of HTTP.
 */
export function startHealthServer(port: number, checks: HealthChecks): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const ok = path === '/healthz' ? true : path === '/readyz' ? checks.ready() : null;
    response.writeHead(ok === null ? 404 : ok ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: ok === null ? 'not found' : ok ? 'ok' : 'unavailable' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(handle(server)));
  });
}

function handle(server: Server): HealthServer {
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
