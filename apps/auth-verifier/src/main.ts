import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import { configOrExit, ConnectionWatch, stopOnSignal } from '@keyward/transport';
import { CONFIG, NATS_CONNECTION } from './tokens';
import { loadConfig, type VerifierConfig } from './config';
import { VerifierModule } from './verifier.module';
import { VerifierNode } from './verifier-node';

async function main(): Promise<void> {
  configOrExit('keyward-auth-verifier', () => loadConfig());
  const app = await NestFactory.createApplicationContext(VerifierModule.forRoot(), {
    logger: ['error', 'warn', 'log'],
  });
  await app.init();
  const config = app.get<VerifierConfig>(CONFIG);
  const node = app.get(VerifierNode);
  // SIGTERM: /readyz 503, leave the verify queue group and answer what arrived, then stop
  // answering, leave the roster and close (VerifierNode.onApplicationShutdown).
  const shutdown = stopOnSignal(
    { inFlight: () => node.unanswered(), drain: () => node.drain(), close: () => app.close() },
    { graceMs: config.shutdownGraceMs },
  );
  const nats = new ConnectionWatch().watch(app.get<NatsConnection>(NATS_CONNECTION));
  await shutdown.serveHealth(
    config.healthPort,
    () => nats.connected() && node.freshness.isServing(),
  );
  // Printed once the index has caught up and the node answers; supervisors wait for it.
  console.log(
    `keyward-auth-verifier ready id=${config.verifierId} keys=${node.index.size} ` +
      `nats=${config.nats.servers.join(',')} pid=${process.pid}`,
  );
}

main().catch((error: unknown) => {
  console.error('keyward-auth-verifier failed to start:', error);
  process.exit(1);
});
