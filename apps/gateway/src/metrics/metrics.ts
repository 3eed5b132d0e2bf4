import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

const FORWARD_ROUTE = '/api/auth/v1/forward';

export const METRICS_PATH = '/metrics';

/**
 * Verify outcomes of this process (verify, authorize and forward-auth answered in process):
 * `valid`, or the reason a credential was refused (`missing`, `malformed`, `unknown`,
 * `revoked`, `expired`, `account_deleted`, `unavailable`). One counter per process, registered
 * in every gateway app's registry, so the forward-auth code needs no handle on the app.
 */
const verifyOutcomes = new Counter({
  name: 'keyward_gateway_verify_outcomes_total',
  help: 'Credentials checked in process by the gateway, by outcome (valid, or why refused)',
  labelNames: ['reason'] as const,
  registers: [],
});

/** Counts one verify outcome: `valid` or the refusal reason. Cheap: one map lookup. */
export function recordVerifyOutcome(reason: string): void {
  verifyOutcomes.inc({ reason });
}

/** Route label of requests that matched no route (never the raw URL: unbounded cardinality). */
export const UNMATCHED_ROUTE = '(unmatched)';

export interface GatewayMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
}

/** One registry per app: default process metrics, request durations, verify outcomes. */
export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registry.registerMetric(verifyOutcomes);
  const requestDuration = new Histogram({
    name: 'keyward_gateway_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, from arrival to the last byte',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, requestDuration };
}

export function routePatternOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? UNMATCHED_ROUTE;
}

/**
 * `GET /metrics` (Prometheus text format) and, after every response, its duration in the
 * histogram and one JSON log line: method, route pattern, status, duration and the request's
 * correlation id — never a header value, a body, a query string or a credential.
 */
export function useMetricsAndRequestLog(fastify: FastifyInstance, metrics: GatewayMetrics): void {
  fastify.get(METRICS_PATH, async (_request: FastifyRequest, reply: FastifyReply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const route = routePatternOf(request);
    const seconds = reply.elapsedTime / 1000;
    metrics.requestDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      seconds,
    );
    // Forward-auth is a proxy's hot path: its allowed answers are counted, not logged.
    if (reply.statusCode < 300 && route.startsWith(FORWARD_ROUTE)) return done();
    request.log.info(
      {
        method: request.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
        requestId: reply.getHeader('x-request-id'),
      },
      'request',
    );
    done();
  });
}
