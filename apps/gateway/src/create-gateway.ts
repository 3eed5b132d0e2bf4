import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyBaseLogger } from 'fastify';
import { REQUEST_BODY_LIMITS } from '@keyward/messaging';
import { createServiceLogger, MetricsModule, nestLoggerFor } from '@keyward/transport';
import type { DestinationStream } from 'pino';
import { VerifierNode } from '@keyward/verifier';
import { ForwardAuthFastPath } from './auth/forward-auth-fast-path';
import type { GatewayConfig } from './config';
import { serveConsole } from './console/serve-console';
import { echoRequestId } from './http/edge-call';
import { EdgeErrorFilter } from './http/edge-error.filter';
import { GatewayModule } from './gateway.module';
import { useJsonBodies } from './http/json-body-parser';
import { createGatewayMetrics, useMetricsAndRequestLog } from './metrics/metrics';
import { setupOpenApi } from './openapi/setup-openapi';
import { useRateLimits } from './rate-limit/rate-limits';

export interface GatewayOptions {
  /** Where the JSON request log goes (default stdout); tests capture it. */
  logStream?: DestinationStream;
  /** Rate-limit window (default one minute); tests shorten it. */
  rateLimitWindowMs?: number;
}

/** The gateway's module and the registry every series of the app is registered in. */
@Module({})
class GatewayApp {}

/** The gateway app on Fastify: 64 KiB bodies, JSON only, one error body for every refusal. */
export async function createGateway(
  config: GatewayConfig,
  options: GatewayOptions = {},
): Promise<NestFastifyApplication> {
  const forwardAuth = new ForwardAuthFastPath();
  // One pino logger for Fastify's request lines and Nest's own messages.
  const logger = createServiceLogger({
    service: 'keyward-gateway',
    level: config.logLevel,
    destination: options.logStream,
  });
  const adapter = new FastifyAdapter({
    serverFactory: forwardAuth.serverFactory,
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    // No per-request child logger (pino's child() cost 2 % of the gateway's CPU on a REST read):
    // the one line per request (recordRequest) carries the X-Request-Id itself.
    childLoggerFactory: (logger: FastifyBaseLogger) => logger,
    bodyLimit: REQUEST_BODY_LIMITS.maxBytes,
    trustProxy: config.trustProxyHops > 0 ? config.trustProxyHops : false,
    // Ids are case-sensitive and exact: no trailing-slash or case folding of routes.
    routerOptions: { ignoreTrailingSlash: false, caseSensitive: true },
  });
  const metrics = createGatewayMetrics();
  const root = {
    module: GatewayApp,
    imports: [GatewayModule, MetricsModule.forRoot(metrics.registry)],
  };
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: nestLoggerFor(logger),
    // Bodies are parsed by useJsonBodies only.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', echoRequestId);
  useJsonBodies(fastify);
  // Fastify's own refusals (body too large, wrong media type) reach EdgeErrorFilter through
  // the error handler Nest installs, so every error has the one body.
  useMetricsAndRequestLog(fastify, metrics);
  forwardAuth.bind({ node: app.get(VerifierNode), log: fastify.log, metrics });
  await useRateLimits(fastify, {
    perMinute: config.rateLimitPerMinute,
    authFailuresPerMinute: config.authFailuresPerMinute,
    leakReportsPerMinute: config.leakReportsPerMinute,
    windowMs: options.rateLimitWindowMs,
  });
  setupOpenApi(app);
  await serveConsole(fastify, config.consoleDir);
  app.useGlobalFilters(new EdgeErrorFilter());
  app.enableShutdownHooks();
  return app;
}
