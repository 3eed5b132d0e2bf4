import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_BODY_LIMITS } from '@keyward/messaging';
import type { GatewayConfig } from './config';
import { echoRequestId } from './http/edge-call';
import { EdgeErrorFilter, sendEdgeError } from './http/edge-error.filter';
import { GatewayModule } from './gateway.module';
import { useJsonBodies } from './http/json-body-parser';

/** The gateway app on Fastify: 64 KiB bodies, JSON only, one error body for every refusal. */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: REQUEST_BODY_LIMITS.maxBytes,
    trustProxy: config.trustProxyHops > 0 ? config.trustProxyHops : false,
    // Ids are case-sensitive and exact: no trailing-slash or case folding of routes.
    routerOptions: { ignoreTrailingSlash: false, caseSensitive: true },
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule, adapter, {
    logger: ['error', 'warn', 'log'],
    // Bodies are parsed by useJsonBodies only.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', echoRequestId);
  useJsonBodies(fastify);
  const logger = new Logger('Gateway');
  // Fastify refuses some requests before any route runs (body too large, wrong media type).
  fastify.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    sendEdgeError(error, request, reply, logger),
  );
  app.useGlobalFilters(new EdgeErrorFilter());
  app.enableShutdownHooks();
  return app;
}
