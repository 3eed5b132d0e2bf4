import { createHmac, randomBytes } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { extractCredential } from '@keyward/keys';
import { EdgeError } from '../http/edge-error';
import { LEAK_REPORT_ROUTE } from '../leak-report/leak-report-body';

export interface RateLimitSettings {
  /** Requests per minute per principal (or per IP without a credential); 0: off. */
  perMinute: number;
  /** 401 answers per IP per minute before the IP is refused with 429; 0: off. */
  authFailuresPerMinute: number;
  /** Leak reports per client IP per minute, instead of `perMinute` on that route; 0: off. */
  leakReportsPerMinute?: number;
  /** Default one minute; tests shorten it. */
  windowMs?: number;
}

/** IPv6 clients are counted per /56, as @fastify/rate-limit does, so one host is one client. */
const IPV6_SUBNET = 56;
/** Most principals and IPs the limits remember per replica (least recently seen go first). */
const MAX_TRACKED = 100_000;

/**
 * Routes no limit applies to: probes, metrics, the docs, the console's files, and forward-auth. Forward-auth is the
 * reverse proxy's hot path (one call per request to the proxied API, answered in process): a
 * 429 there is not in the contract nginx `auth_request` and Traefik ForwardAuth expect (nginx
 * turns it into a 500), and its client IP is the proxy's, so counting its 401s per IP would let
 * one client with a bad key shut every client of that proxy out. Limiting the proxied API is
 * the proxy's job.
 */
export function isExempt(route: string | undefined): boolean {
  if (route === undefined) return false;
  return (
    route === '/healthz' ||
    route === '/readyz' ||
    route === '/metrics' ||
    // The UI, its assets and the document; the console's static files (its API calls count).
    route.startsWith('/api/docs') ||
    route.startsWith('/console') ||
    // Forward-auth, and its prefix form for Envoy (`forward*`).
    route.startsWith('/api/auth/v1/forward')
  );
}

function routeOf(request: FastifyRequest): string | undefined {
  return request.routeOptions?.url;
}

function clientOf(request: FastifyRequest): string {
  return normalizeIP(request.ip, IPV6_SUBNET);
}

function rateLimited(retryAfterSeconds: number, message: string): EdgeError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new EdgeError(
    429,
    { code: 'RATE_LIMITED', message: `${message}; retry after ${seconds} s` },
    { 'retry-after': String(seconds) },
  );
}

/**
 * Both limits, per replica (the counters live in this process; N replicas behind a balancer
 * let through up to N times as much):
 *
 * - per principal: `perMinute` requests per minute for each key (Bearer, bare or Basic alike),
 *   counted under an HMAC of the key with a secret made at start (the credential itself is
 *   never stored), or per client IP for requests without an Authorization header;
 * - per IP on failed authentication: after `authFailuresPerMinute` 401 answers within a
 *   minute, every request from that IP is refused with 429 until the minute is over. A new,
 *   random Authorization header on every request gets a fresh per-principal bucket, but each
 *   of them is a 401, so this limit is what stops guessing.
 *
 * Must run before the routes are registered (Nest registers them in `init`).
 */
export async function useRateLimits(
  fastify: FastifyInstance,
  settings: RateLimitSettings,
): Promise<void> {
  const windowMs = settings.windowMs ?? 60_000;
  if (settings.authFailuresPerMinute > 0) {
    useAuthFailureLimit(fastify, settings.authFailuresPerMinute, windowMs);
  }
  const leakReports = settings.leakReportsPerMinute ?? 0;
  // The leak report (rule 11) carries no credential (an Authorization header is ignored, so a
  // random one buys no fresh budget): its own, stricter limit per client IP. Set before the
  // plugin's onRoute hook reads the route's config.
  fastify.addHook('onRoute', (route) => {
    if (route.url !== LEAK_REPORT_ROUTE) return;
    route.config = {
      ...(route.config as object),
      rateLimit:
        leakReports > 0
          ? {
              max: leakReports,
              timeWindow: windowMs,
              keyGenerator: (request: FastifyRequest) => `leak:${clientOf(request)}`,
              errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) =>
                rateLimited(context.ttl / 1000, 'too many leak reports from this IP'),
            }
          : false,
    } as typeof route.config;
  });
  if (settings.perMinute > 0 || leakReports > 0) {
    const hmacKey = randomBytes(32);
    await fastify.register(rateLimit, {
      global: settings.perMinute > 0,
      max: Math.max(settings.perMinute, 1),
      timeWindow: windowMs,
      cache: MAX_TRACKED,
      keyGenerator: (request: FastifyRequest) => {
        const authorization = request.headers.authorization;
        if (typeof authorization !== 'string' || authorization === '') {
          return `ip:${clientOf(request)}`;
        }
        // One budget per key, whichever form carries it (Bearer, bare, Basic).
        const credential = extractCredential(authorization);
        const secret = credential.kind === 'none' ? authorization : credential.key;
        return `p:${createHmac('sha256', hmacKey).update(secret).digest('base64url')}`;
      },
      allowList: (request: FastifyRequest) => isExempt(routeOf(request)),
      errorResponseBuilder: (_request, context) =>
        rateLimited(context.ttl / 1000, 'too many requests from this principal'),
    });
  }
}

interface Window {
  failures: number;
  resetAt: number;
}

/** Counts 401 answers per client IP in fixed windows; refuses an IP over the limit early. */
function useAuthFailureLimit(fastify: FastifyInstance, max: number, windowMs: number): void {
  const windows = new Map<string, Window>();
  const current = (ip: string, now: number): Window | undefined => {
    const window = windows.get(ip);
    if (window && window.resetAt <= now) {
      windows.delete(ip);
      return undefined;
    }
    return window;
  };
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done) => {
    // No IP has failed lately (the usual case): nothing to look up.
    if (windows.size === 0 || isExempt(routeOf(request))) return done();
    const now = Date.now();
    const window = current(clientOf(request), now);
    if (window && window.failures >= max) {
      return done(
        rateLimited((window.resetAt - now) / 1000, 'too many failed authentications from this IP'),
      );
    }
    done();
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (reply.statusCode !== 401 || isExempt(routeOf(request))) return done();
    const ip = clientOf(request);
    const now = Date.now();
    const window = current(ip, now);
    if (window) {
      window.failures += 1;
    } else {
      if (windows.size >= MAX_TRACKED) forgetOldest(windows, now);
      windows.set(ip, { failures: 1, resetAt: now + windowMs });
    }
    done();
  });
}

/** Drops expired windows; if none has expired, the oldest tenth (Maps keep insertion order). */
function forgetOldest(windows: Map<string, Window>, now: number): void {
  for (const [ip, window] of windows) if (window.resetAt <= now) windows.delete(ip);
  let excess = windows.size - Math.floor(MAX_TRACKED * 0.9);
  for (const ip of windows.keys()) {
    if (excess-- <= 0) break;
    windows.delete(ip);
  }
}
