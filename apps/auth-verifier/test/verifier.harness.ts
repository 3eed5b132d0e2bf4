import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { VerifierModule } from '../src/verifier.module';
import { VerifierNode } from '../src/verifier-node';

export interface InProcessVerifier {
  app: INestApplicationContext;
  node: VerifierNode;
  stop(): Promise<void>;
}

/**
 * A verifier node in this process, configured from the environment the command-service
 * harness set (NATS URL, stream and subject prefix); `env` overrides for this node only.
 */
export async function startVerifier(env: Record<string, string> = {}): Promise<InProcessVerifier> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const app = await NestFactory.createApplicationContext(VerifierModule, { logger: ['error'] });
    await app.init();
    return { app, node: app.get(VerifierNode), stop: () => app.close() };
  } finally {
    process.env = saved;
  }
}
