import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import { createServiceRegistry } from '@keyward/transport';
import { RequestDurations } from './request-durations';

const FORWARD_ROUTE = '/api/auth/v1/forward';

export const METRICS_PATH = '/metrics';

const PROBE_ROUTES = new Set(['/healthz', '/readyz', METRICS_PATH]);

/**
 * Verify outcomes of this process (verify, authorize and forward-auth answered in process):
 * `valid`, or the reason a credential was refused (`missing`, `malformed`, `unknown`,
 * `revoked`, `expired`, `account_deleted`, `unavailable`). One counter per process, registered
 * in every gateway app's registry, so the forward-auth code needs no handle on the app.
 * Outcomes are tallied in `pendingOutcomes` and added to the counter when it is read: a verify
 * then costs one map update, not prom-client's per-call label validation and hashing.
 */
const pendingOutcomes = new Map<string, number>();
const verifyOutcomes = new Counter({
  name: 'keyward_gateway_verify_outcomes_total',
  help: 'Credentials checked in process by the gateway, by outcome (valid, or why refused)',
  labelNames: ['reason'] as const,
  registers: [],
  collect() {
    for (const [reason, count] of pendingOutcomes) this.inc({ reason }, count);
    pendingOutcomes.clear();
  },
});

/** Counts one verify outcome: `valid` or the refusal reason. */
export function recordVerifyOutcome(reason: string): void {
  pendingOutcomes.set(reason, (pendingOutcomes.get(reason) ?? 0) + 1);
}

/** Route label of requests that matched no route (never the raw URL: unbounded cardinality). */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Seconds: forward-auth answers in microseconds, a REST call over NATS in milliseconds. */
export const REQUEST_DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

export interface GatewayMetrics {
  registry: Registry;
  requestDuration: RequestDurations;
}

/**
 * One registry per app: process metrics, request durations, verify outcomes (and, registered by
 * the modules through `METRICS`, the hosted verifier node's and the NATS connections' series).
 */
export function createGatewayMetrics(): GatewayMetrics {
  const registry = createServiceRegistry('keyward-gateway');
  registry.registerMetric(verifyOutcomes);
  const requestDuration = new RequestDurations(
    'keyward_gateway_http_request_duration_seconds',
    'HTTP requests by method, route pattern and status, from arrival to the last byte',
    REQUEST_DURATION_BUCKETS,
  );
  registry.registerMetric(requestDuration.asMetric());
  return { registry, requestDuration };
}

export function routePatternOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? UNMATCHED_ROUTE;
}

/** What the gateway writes about one request: never a header value, body or query string. */
export interface RequestRecord {
  method: string;
  /** The route pattern, never the raw URL. */
  route: string;
  status: number;
  /** From arrival to the last byte. */
  durationMs: number;
  requestId: unknown;
  /** The error body's code, for a refusal or failure. */
  code?: string;
}

const errorCodes = new WeakMap<FastifyRequest, string>();

/** Notes the code of the error body a request is answered with, for its log line. */
export function noteErrorCode(request: FastifyRequest, code: string): void {
  errorCodes.set(request, code);
}

/**
 * Records one answered request: its duration in the histogram and, except for forward-auth's
 * allowed answers (a proxy's hot path: counted, not logged), one JSON log line.
 */
export function recordRequest(
  metrics: GatewayMetrics,
  log: FastifyBaseLogger,
  record: RequestRecord,
): void {
  metrics.requestDuration
    .seriesOf(record.method, record.route, record.status)
    .observe(record.durationMs / 1000);
  if (record.status < 300 && record.route.startsWith(FORWARD_ROUTE)) return;
  const line = { ...record, durationMs: Math.round(record.durationMs * 1000) / 1000 };
  // Probes and scrapes come every few seconds from machines: at debug, unless they fail.
  if (record.status < 300 && PROBE_ROUTES.has(record.route)) log.debug(line, 'request');
  else log.info(line, 'request');
}

/**
 * `GET /metrics` (Prometheus text format) and, after every response Fastify answers, the
 * request's record (`recordRequest`) with its correlation id.
 */
export function useMetricsAndRequestLog(fastify: FastifyInstance, metrics: GatewayMetrics): void {
  fastify.get(METRICS_PATH, async (_request: FastifyRequest, reply: FastifyReply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    recordRequest(metrics, request.log, {
      method: request.method,
      route: routePatternOf(request),
      status: reply.statusCode,
      durationMs: reply.elapsedTime,
      requestId: reply.getHeader('x-request-id'),
      code: errorCodes.get(request),
    });
    done();
  });
}
