import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The Swagger UI's files, from the swagger-ui-dist package @nestjs/swagger depends on (no CDN),
 * by name: nothing outside this list is ever read, so no path can reach another file.
 */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

function swaggerUiDistDir(): string {
  const swagger = dirname(require.resolve('@nestjs/swagger/package.json'));
  return dirname(require.resolve('swagger-ui-dist/package.json', { paths: [swagger] }));
}

/**
 * The page at `docsPath` loads its assets from `${docsPath}/…` and the document from
 * `${docsPath}-json`, by relative URLs. Served by the gateway itself rather than through
 * @fastify/static: a fixed list of files, read once.
 */
export function serveSwaggerUi(fastify: FastifyInstance, docsPath: string, title: string): void {
  const base = docsPath.slice(docsPath.lastIndexOf('/') + 1);
  const html = page(base, title);
  const init = initScript(`${base}-json`);
  const dir = swaggerUiDistDir();
  const cache = new Map<string, Buffer>();
  fastify.get(docsPath, (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').send(html),
  );
  fastify.get(`${docsPath}/swagger-ui-init.js`, (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type('application/javascript; charset=utf-8').send(init),
  );
  fastify.get(`${docsPath}/:asset`, (request: FastifyRequest, reply: FastifyReply) => {
    const asset = (request.params as { asset: string }).asset;
    const type = Object.prototype.hasOwnProperty.call(ASSETS, asset) ? ASSETS[asset] : undefined;
    if (!type) {
      return reply
        .status(404)
        .type('application/json; charset=utf-8')
        .send({ code: 'ROUTE.NOT_FOUND', message: 'no such route' });
    }
    let bytes = cache.get(asset);
    if (!bytes) {
      bytes = readFileSync(join(dir, asset));
      cache.set(asset, bytes);
    }
    return reply.type(type).header('cache-control', 'public, max-age=3600').send(bytes);
  });
}

function page(base: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>${title}</title>
  <link rel="stylesheet" type="text/css" href="${base}/swagger-ui.css">
  <link rel="stylesheet" type="text/css" href="${base}/index.css">
  <link rel="icon" type="image/png" href="${base}/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="${base}/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${base}/swagger-ui-bundle.js" charset="UTF-8"></script>
  <script src="${base}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
  <script src="${base}/swagger-ui-init.js" charset="UTF-8"></script>
</body>
</html>
`;
}

function initScript(documentUrl: string): string {
  return `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(documentUrl)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
};
`;
}
