import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeRequestBody } from '@keyward/messaging';
import { EdgeError } from './edge-error';
import {
  LEAK_REPORT_BODY_LIMIT,
  LEAK_REPORT_ROUTE,
  notAnArray,
} from '../leak-report/leak-report-body';

/**
 * JSON bodies are read by the same decoder as every NATS subject (size, depth, prototype keys,
 * not an object), so HTTP and NATS refuse the same bodies with the same codes. An empty body
 * reads as none: seed 003's DELETEs and bodiless POSTs may still say `Content-Type: application/json`.
 * Every other media type is 415 (except on forward-auth, which reads no body).
 */
export function useJsonBodies(fastify: FastifyInstance): void {
  // The leak report's own bound (1,000 keys do not fit in 64 KiB): Fastify refuses a larger
  // body with 413 before reading it, and the decoder below allows the same size there.
  fastify.addHook('onRoute', (route) => {
    if (route.url === LEAK_REPORT_ROUTE) route.bodyLimit = LEAK_REPORT_BODY_LIMIT;
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (request: FastifyRequest, raw: Buffer, done: (error: Error | null, body?: unknown) => void) => {
      if (raw.length === 0 || ignoresBody(request)) return done(null, undefined);
      const decoded = isLeakReport(request)
        ? decodeRequestBody(raw, { arrayBody: true, maxBytes: LEAK_REPORT_BODY_LIMIT })
        : decodeRequestBody(raw);
      if (decoded.ok) return done(null, decoded.body);
      if (decoded.error.code === 'REQUEST.NOT_AN_OBJECT' && isLeakReport(request)) {
        return done(notAnArray());
      }
      done(EdgeError.fromReply(decoded.error));
    },
  );
  // Every other media type is 415, except on forward-auth: the headers there are the client's
  // request to another server (nginx's auth_request passes a form POST's Content-Type without
  // its body), and whatever body came along is not read.
  fastify.addContentTypeParser(
    '*',
    (request: FastifyRequest, _payload: unknown, done: (error: Error | null) => void) =>
      done(ignoresBody(request) ? null : UNSUPPORTED_MEDIA_TYPE),
  );
}

/** Routes that answer for someone else's request: `/api/auth/v1/forward` and `…/forward/*`. */
const BODY_IGNORED = /^\/api\/auth\/v1\/forward(\/|$)/;

function isLeakReport(request: FastifyRequest): boolean {
  return request.routeOptions.url === LEAK_REPORT_ROUTE;
}

function ignoresBody(request: FastifyRequest): boolean {
  return BODY_IGNORED.test(request.routeOptions.url ?? '');
}

const UNSUPPORTED_MEDIA_TYPE = new EdgeError(415, {
  code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  message: 'send the body as application/json',
});
