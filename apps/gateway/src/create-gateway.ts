import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { REQUEST_BODY_LIMITS } from '@keyward/messaging';
import { VerifierNode } from '../../auth-verifier/src/verifier-node';
import { ForwardAuthFastPath } from './auth/forward-auth-fast-path';
import type { GatewayConfig } from './config';
import { echoRequestId } from './http/edge-call';
import { EdgeErrorFilter } from './http/edge-error.filter';
import { GatewayModule } from './gateway.module';
import { useJsonBodies } from './http/json-body-parser';
import { createGatewayMetrics, useMetricsAndRequestLog } from './metrics/metrics';
import { fastifyLoggerOptions, nestLogLevels, type LogDestination } from './metrics/request-log';
import { setupOpenApi } from './openapi/setup-openapi';
import { useRateLimits } from './rate-limit/rate-limits';

export interface GatewayOptions {
  /** Where the JSON request log goes (default stdout); tests capture it. */
  logStream?: LogDestination;
  /** Rate-limit window (default one minute); tests shorten it. */
  rateLimitWindowMs?: number;
}

/** The gateway app on Fastify: 64 KiB bodies, JSON only, one error body for every refusal. */
export async function createGateway(
  config: GatewayConfig,
  options: GatewayOptions = {},
): Promise<NestFastifyApplication> {
  const forwardAuth = new ForwardAuthFastPath();
  const adapter = new FastifyAdapter({
    serverFactory: forwardAuth.serverFactory,
    logger: fastifyLoggerOptions(config.logLevel, options.logStream),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: REQUEST_BODY_LIMITS.maxBytes,
    trustProxy: config.trustProxyHops > 0 ? config.trustProxyHops : false,
    // Ids are case-sensitive and exact: no trailing-slash or case folding of routes.
    routerOptions: { ignoreTrailingSlash: false, caseSensitive: true },
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule, adapter, {
    logger: new ConsoleLogger({ json: true, logLevels: nestLogLevels(config.logLevel) }),
    // Bodies are parsed by useJsonBodies only.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', echoRequestId);
  useJsonBodies(fastify);
  // Fastify's own refusals (body too large, wrong media type) reach EdgeErrorFilter through
  // the error handler Nest installs, so every error has the one body.
  const metrics = createGatewayMetrics();
  useMetricsAndRequestLog(fastify, metrics);
  forwardAuth.bind({ node: app.get(VerifierNode), log: fastify.log, metrics });
  await useRateLimits(fastify, {
    perMinute: config.rateLimitPerMinute,
    authFailuresPerMinute: config.authFailuresPerMinute,
    windowMs: options.rateLimitWindowMs,
  });
  setupOpenApi(app);
  app.useGlobalFilters(new EdgeErrorFilter());
  app.enableShutdownHooks();
  return app;
}
