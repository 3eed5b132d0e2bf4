import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestOptions } from '@keyward/messaging';

/** What the gateway forwards of an HTTP request to the service that answers it. */
export type EdgeCall = Omit<RequestOptions, 'timeoutMs'> & { correlationId: string };

export const REQUEST_ID_HEADER = 'x-request-id';
const PRINTABLE_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * The caller's credential, Idempotency-Key and correlation id, and where it came from (client IP
 * as Fastify's trust-proxy setting sees it, user agent, channel `http`). Nothing here is trusted
 * for authorization: the answering service authenticates the credential itself.
 */
export function edgeCallOf(request: FastifyRequest): EdgeCall {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    authorization: header('authorization'),
    operatorToken: header('keyward-operator-token'),
    idempotencyKey: header('idempotency-key'),
    correlationId: correlationIdOf(request),
    source: { ip: request.ip, userAgent: header('user-agent')?.slice(0, 500), channel: 'http' },
  };
}

/** `X-Request-Id` when the caller sent a usable one, else a new id; echoed on the response. */
export function correlationIdOf(request: FastifyRequest): string {
  const known = (request as { keywardRequestId?: string }).keywardRequestId;
  if (known) return known;
  const id = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
  (request as { keywardRequestId?: string }).keywardRequestId = id;
  return id;
}

/** The `X-Request-Id` a caller sent, when usable (printable, at most 200 characters), or a new one. */
export function requestIdFrom(sent: string | string[] | undefined): string {
  return typeof sent === 'string' && PRINTABLE_ID.test(sent) ? sent : randomUUID();
}

/** Fastify hook: every response carries the request's correlation id. */
export function echoRequestId(request: FastifyRequest, reply: FastifyReply, done: () => void) {
  reply.header(REQUEST_ID_HEADER, correlationIdOf(request));
  done();
}

export const Edge = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  edgeCallOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
