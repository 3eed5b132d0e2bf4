import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EdgeError } from './edge-error';
import { noteErrorCode } from '../metrics/metrics';
import { correlationIdOf, REQUEST_ID_HEADER } from './edge-call';

/**
 * Refusals by status, in our codes: unknown routes, the body limit and media types Fastify
 * enforces before any route runs (413, 415), rate limits. Bodies themselves are decoded by
 * useJsonBodies, which throws EdgeErrors.
 */
const BY_STATUS: Record<number, [string, string]> = {
  404: ['ROUTE.NOT_FOUND', 'no such route'],
  405: ['ROUTE.METHOD_NOT_ALLOWED', 'method not allowed on this route'],
  413: ['REQUEST.TOO_LARGE', 'request body is larger than 65536 bytes'],
  415: ['REQUEST.UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json'],
  429: ['RATE_LIMITED', 'too many requests; retry after the time in Retry-After'],
};

/** Every error the gateway answers, in the one body of the HTTP API (README). */
export function toEdgeError(exception: unknown): EdgeError | undefined {
  if (exception instanceof EdgeError) return exception;
  const fastify = exception as { statusCode?: number };
  const status =
    exception instanceof HttpException ? exception.getStatus() : (fastify.statusCode ?? 0);
  const byStatus = BY_STATUS[status];
  if (byStatus) return new EdgeError(status, { code: byStatus[0], message: byStatus[1] });
  if (status >= 400 && status < 500) {
    const message = exception instanceof Error ? exception.message : 'bad request';
    return new EdgeError(status, { code: `HTTP.${status}`, message });
  }
  return undefined;
}

@Catch()
export class EdgeErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendEdgeError(
      exception,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.logger,
    );
  }
}

/** Answers `exception` as an error body; an unexpected one is logged once, with its stack. */
export function sendEdgeError(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
): void {
  let edge = toEdgeError(exception);
  if (!edge) {
    logger.error(
      `unexpected error on ${request.method} ${request.routeOptions?.url ?? '?'} (${correlationIdOf(request)})`,
      exception instanceof Error ? exception.stack : String(exception),
    );
    edge = new EdgeError(500, { code: 'INTERNAL', message: 'internal error' });
  }
  noteErrorCode(request, edge.body.code);
  void reply
    .status(edge.status)
    .headers({ ...edge.headers, [REQUEST_ID_HEADER]: correlationIdOf(request) })
    .type('application/json; charset=utf-8')
    .send(edge.body);
}
