import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { NatsServerHandle } from '@keyward/testing';
import { withEnv } from '../../command/test/command-service.harness';
import { VerifierModule, VerifierNode } from '@keyward/verifier';

export interface InProcessVerifier {
  app: INestApplicationContext;
  node: VerifierNode;
  stop(): Promise<void>;
}

/**
 * A verifier node in this process, as the `verifier` NATS user of `nats`, configured from the
 * environment the command-service harness set (stream and subject prefix); `env` overrides
 * for this node only.
 */
export async function startVerifier(
  nats: NatsServerHandle,
  env: Record<string, string> = {},
): Promise<InProcessVerifier> {
  return withEnv({ ...nats.env('verifier'), ...env }, async () => {
    const app = await NestFactory.createApplicationContext(VerifierModule.forRoot(), {
      logger: ['error'],
    });
    await app.init();
    return { app, node: app.get(VerifierNode), stop: () => app.close() };
  });
}
