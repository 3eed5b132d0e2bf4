import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeRequestBody } from '@keyward/messaging';
import { EdgeError } from './edge-error';

/**
 * JSON bodies are read by the same decoder as every NATS subject (size, depth, prototype keys,
 * not an object), so HTTP and NATS refuse the same bodies with the same codes. An empty body
 * reads as none: seed 003's DELETEs and bodiless POSTs may still say `Content-Type: application/json`.
 * Every other media type is 415.
 */
export function useJsonBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (
      _request: FastifyRequest,
      raw: Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => {
      if (raw.length === 0) return done(null, undefined);
      const decoded = decodeRequestBody(raw);
      if (decoded.ok) return done(null, decoded.body);
      done(EdgeError.fromReply(decoded.error));
    },
  );
}
