import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_PATH = '/console';

/**
 * The console may load only what the gateway itself serves: its script and stylesheet files
 * (no inline script or style, no eval), and talk only to this origin's API. It cannot be framed
 * (clickjacking) and sends no referrer. `form-action 'none'`: its forms are handled by script.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function setHeaders(reply: FastifyReply, path: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  // Vite names every asset by its content hash: a new build is a new URL. The page itself is
  // checked each time so it always names the current assets.
  const immutable = /[\\/]assets[\\/]/.test(path);
  reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * The web console's static files at /console/, from the folder `npm run build` writes.
 * Only the files present at start are routes (`wildcard: false`): no path can reach another
 * file, and anything else under /console/ is the API's 404 body. Without a built console,
 * /console answers 503 `CONSOLE.NOT_BUILT` with what to run.
 */
export async function serveConsole(fastify: FastifyInstance, dir: string): Promise<void> {
  const redirect = (_request: unknown, reply: FastifyReply) =>
    reply.redirect(`${CONSOLE_PATH}/`, 302);
  fastify.get(CONSOLE_PATH, redirect);
  if (!existsSync(join(dir, 'index.html'))) {
    fastify.get(`${CONSOLE_PATH}/*`, (_request, reply) =>
      reply.status(503).send({
        code: 'CONSOLE.NOT_BUILT',
        message: `the console is not built (no ${join(dir, 'index.html')}): run npm run build`,
      }),
    );
    return;
  }
  await fastify.register(fastifyStatic, {
    root: dir,
    prefix: `${CONSOLE_PATH}/`,
    wildcard: false,
    index: ['index.html'],
    decorateReply: false,
    cacheControl: false,
    dotfiles: 'deny',
    setHeaders,
  });
}
