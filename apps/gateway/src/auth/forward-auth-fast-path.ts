import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { VerifierNode } from '@keyward/verifier';
import { EdgeError } from '../http/edge-error';
import { REQUEST_ID_HEADER, requestIdFrom } from '../http/edge-call';
import { recordRequest, type GatewayMetrics } from '../metrics/metrics';
import {
  answerForwardAuth,
  FORWARD_AUTH_PATH,
  FORWARD_AUTH_PREFIX,
  ForwardCheckCache,
  POSITION_HEADER,
  type ForwardAuthAnswer,
} from './forward-auth';
import { PrincipalCache } from './principal-cache';

/** What the fast path needs from the app, known once Nest has built it. */
export interface ForwardAuthDependencies {
  node: VerifierNode;
  log: FastifyBaseLogger;
  metrics: GatewayMetrics;
}

/** The settings of Fastify's own HTTP server that a server factory must apply itself. */
interface ServerTimeouts {
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
}

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** One request being answered: where to write and what to record. */
interface Respond {
  request: IncomingMessage;
  response: ServerResponse;
  route: string;
  requestId: string;
  started: number;
}

const INTERNAL = new EdgeError(500, { code: 'INTERNAL', message: 'internal error' });
const JSON_TYPE = 'application/json; charset=utf-8';
/** The route labels Fastify gives the two forms (metrics and logs stay one series each). */
const ROUTES = { plain: FORWARD_AUTH_PATH, prefix: `${FORWARD_AUTH_PREFIX}*` } as const;

/**
 * Forward-auth answered before Fastify and Nest see the request: the node's HTTP server is made
 * here (Fastify's `serverFactory`), and a request for `/api/auth/v1/forward` or
 * `/api/auth/v1/forward/…` is decided by `answerForwardAuth` — the same function the Nest route
 * (`ForwardAuthController`) calls — and written straight to the socket. Every other request goes
 * to Fastify.
 *
 * Why: forward-auth is a reverse proxy's hot path, one call per request to the proxied API. Its
 * decision costs a few microseconds (a hash and a map lookup in the node's index), while the
 * general pipeline around it — Fastify's request objects and per-request logger, the hooks, Nest's
 * router and exception zone — costs several times that and halved throughput (bench/gateway).
 * What that pipeline gives other routes the fast path does itself: the `X-Request-Id` echo, the
 * duration histogram, the log line for refusals, the one error body. What repeats from request
 * to request is kept: the parsed check per query string (`ForwardCheckCache`) and the principal
 * headers per key and checked resource (`PrincipalCache`); whether the key is valid is decided
 * afresh every time. No rate limit applies to forward-auth on either path (see `isExempt`), and
 * its request body is never read.
 *
 * Until `bind` is called (the app is being built) requests fall through to Fastify, whose route
 * gives the same answers.
 */
export class ForwardAuthFastPath {
  private dependencies?: ForwardAuthDependencies;
  private readonly checks = new ForwardCheckCache();
  private readonly principals = new PrincipalCache();
  private readonly errorBodies = new WeakMap<EdgeError, string>();

  bind(dependencies: ForwardAuthDependencies): void {
    this.dependencies = dependencies;
  }

  /** Fastify's `serverFactory`: the HTTP server, with Fastify's timeouts, answering forward-auth first. */
  readonly serverFactory = (fastifyHandler: RequestHandler, options: ServerTimeouts): Server => {
    const server = createServer((request, response) => {
      if (!this.handle(request, response)) fastifyHandler(request, response);
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    return server;
  };

  /** Answers a forward-auth request and says so; anything else is left to Fastify. */
  private handle(request: IncomingMessage, response: ServerResponse): boolean {
    const dependencies = this.dependencies;
    const url = request.url ?? '';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const prefixForm = path.startsWith(FORWARD_AUTH_PREFIX);
    if (!dependencies || !(prefixForm || path === FORWARD_AUTH_PATH)) return false;
    const started = performance.now();
    const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    const route = prefixForm ? ROUTES.prefix : ROUTES.plain;
    let answer: ForwardAuthAnswer | Promise<ForwardAuthAnswer>;
    try {
      const rawQuery = queryAt < 0 ? '' : url.slice(queryAt + 1);
      const check = this.checks.of(prefixForm, rawQuery, request.headers);
      answer =
        check instanceof EdgeError
          ? { allowed: false, error: check }
          : answerForwardAuth(
              dependencies.node,
              this.principals,
              request.headers.authorization,
              check,
            );
    } catch (error) {
      answer = failed(dependencies, error, route, requestId);
    }
    const respond = { request, response, route, requestId, started };
    if (answer instanceof Promise) {
      answer.then(
        (settled) => this.write(dependencies, respond, settled),
        (error: unknown) =>
          this.write(dependencies, respond, failed(dependencies, error, route, requestId)),
      );
    } else {
      this.write(dependencies, respond, answer);
    }
    return true;
  }

  private write(
    { metrics, log }: ForwardAuthDependencies,
    { request, response, route, requestId, started }: Respond,
    answer: ForwardAuthAnswer,
  ): void {
    let status: number;
    // The position string is the node's, formatted once per applied position: nothing to format.
    if (answer.allowed) {
      status = 200;
      const { position } = answer;
      const { headers } = answer.principal;
      response.writeHead(
        status,
        position === null
          ? headers.concat(REQUEST_ID_HEADER, requestId, 'content-length', '0')
          : headers.concat(
              POSITION_HEADER,
              position,
              REQUEST_ID_HEADER,
              requestId,
              'content-length',
              '0',
            ),
      );
      response.end();
    } else {
      status = answer.error.status;
      const body = this.errorBodyOf(answer.error);
      const headers: Record<string, string> = {
        ...answer.error.headers,
        [REQUEST_ID_HEADER]: requestId,
        'content-type': JSON_TYPE,
        'content-length': String(Buffer.byteLength(body)),
      };
      const { position } = answer;
      if (position !== null && position !== undefined) headers[POSITION_HEADER] = position;
      response.writeHead(status, headers);
      response.end(body);
    }
    recordRequest(metrics, log, {
      method: request.method ?? 'GET',
      route,
      status,
      durationMs: performance.now() - started,
      requestId,
    });
  }

  /** The error body as JSON, kept for the refusals answered again and again (401, 503). */
  private errorBodyOf(error: EdgeError): string {
    let body = this.errorBodies.get(error);
    if (body === undefined) {
      body = JSON.stringify(error.body);
      this.errorBodies.set(error, body);
    }
    return body;
  }
}

/** An unexpected failure: logged with the request's id, answered as the one 500. */
function failed(
  { log }: ForwardAuthDependencies,
  error: unknown,
  route: string,
  requestId: string,
): ForwardAuthAnswer {
  log.error({ err: error, route, requestId }, 'unexpected error on forward-auth');
  return { allowed: false, error: INTERNAL };
}
