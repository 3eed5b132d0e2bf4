import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { NatsServerHandle } from '@keyward/testing';
import { loadConfig } from '../src/config';
import { createGateway, type GatewayOptions } from '../src/create-gateway';

export interface GatewayApp {
  app: NestFastifyApplication;
  fastify: FastifyInstance;
  /** Every line the gateway's JSON logger wrote. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The gateway app in this process, initialised but not listening (requests go through
 * Fastify's `inject`), as the `gateway` NATS user of `nats` (started by the command-service
 * harness, which left the stream settings in process.env); `env` configures it.
 */
export async function startGatewayApp(
  nats: NatsServerHandle,
  env: Record<string, string> = {},
  options: GatewayOptions = {},
): Promise<GatewayApp> {
  const logs: string[] = [];
  const saved = { ...process.env };
  // Nest's own start-up lines stay out of the test output unless a test asks for them.
  Object.assign(process.env, { LOG_LEVEL: 'warn' }, nats.env('gateway'), env);
  try {
    const app = await createGateway(loadConfig(process.env), {
      logStream: { write: (line: string) => logs.push(line) },
      ...options,
    });
    await app.init();
    const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
    await fastify.ready();
    return { app, fastify, logs, close: () => app.close() };
  } finally {
    process.env = saved;
  }
}

export {
  startCommandService,
  type CommandServiceHarness,
} from '../../command/test/command-service.harness';
