import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import {
  configOrExit,
  ConnectionWatch,
  createServiceLogger,
  createServiceRegistry,
  exitOnStartFailure,
  MetricsModule,
  nestLoggerFor,
  stopOnSignal,
} from '@keyward/transport';
import {
  NATS_CONNECTION,
  loadVerifierConfig,
  VerifierModule,
  VerifierNode,
} from '@keyward/verifier';

const SERVICE = 'keyward-auth-verifier';

/** The verifier node and the registry its metrics are served from. */
@Module({})
class VerifierApp {}

async function main(): Promise<void> {
  const config = configOrExit(SERVICE, () => loadVerifierConfig());
  const logger = createServiceLogger({ service: SERVICE, level: config.logLevel });
  const metrics = createServiceRegistry(SERVICE);
  const app = await NestFactory.createApplicationContext(
    { module: VerifierApp, imports: [VerifierModule.forRoot(), MetricsModule.forRoot(metrics)] },
    { logger: nestLoggerFor(logger) },
  );
  await app.init();
  const node = app.get(VerifierNode);
  // SIGTERM: /readyz 503, leave the verify queue group and answer what arrived, then stop
  // answering, leave the roster and close (VerifierNode.onApplicationShutdown).
  const shutdown = stopOnSignal(
    { inFlight: () => node.unanswered(), drain: () => node.drain(), close: () => app.close() },
    { graceMs: config.shutdownGraceMs },
  );
  const nats = new ConnectionWatch(metrics).watch(app.get<NatsConnection>(NATS_CONNECTION));
  await shutdown.serveHealth(
    config.healthPort,
    () => nats.connected() && node.freshness.isServing(),
    metrics,
  );
  // Logged once the index has caught up and the node answers.
  logger.info(
    `${SERVICE} ready id=${config.verifierId} keys=${node.index.size} ` +
      `nats=${config.nats.servers.join(',')} pid=${process.pid}`,
  );
}

main().catch(exitOnStartFailure(SERVICE));
