import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { InjectOptions } from 'fastify';

/** An answer read off a real socket, shaped like Fastify's `inject` response. */
export interface SocketResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
  json<T = any>(): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Sends `options` (as for Fastify's `inject`) to a listening gateway over TCP, so the request
 * meets the node's HTTP server first — where forward-auth is answered — and not Fastify's
 * router as `inject` does.
 */
export function socketRequest(baseUrl: string, options: InjectOptions): Promise<SocketResponse> {
  const url = new URL(String(options.url ?? '/'), baseUrl);
  const payload = options.payload === undefined ? undefined : String(options.payload);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers as Record<string, string>,
        agent: false,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            statusCode: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body,
            json: <T>() => JSON.parse(body) as T,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
