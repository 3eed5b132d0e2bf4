import { Module, type DynamicModule, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import type { DestinationStream } from 'pino';
import type { Registry } from 'prom-client';
import { JsonEnvelopeDeserializer } from './json-envelope.deserializer';
import { JsonEnvelopeSerializer } from './json-envelope.serializer';
import { KeywardNatsServer } from './keyward-nats-server';
import type { NatsConnectionSettings } from './nats-options';
import { NatsRequestLog } from './observability/nats-request-log';
import {
  createServiceLogger,
  nestLoggerFor,
  type LogLevel,
  type ServiceLogger,
} from './observability/service-logger';
import { createServiceRegistry, MetricsModule } from './observability/service-metrics';

export interface NatsMicroserviceOptions {
  nats: NatsConnectionSettings;
  /** The queue group every replica of the service shares. */
  queue: string;
  /** `keyward-command`, …: the NATS connection's name and the logs' `service`. */
  name: string;
  /** `LOG_LEVEL` (default `info`: one line per request). */
  logLevel?: LogLevel;
  /** Where the JSON log lines go (default stdout); tests capture them. */
  logDestination?: DestinationStream;
  /** The app's metrics (default a new registry), injectable as `METRICS`. */
  metrics?: Registry;
}

/** What an app made by `createNatsMicroservice` logs with and counts in. */
export interface Observability {
  logger: ServiceLogger;
  metrics: Registry;
}

const apps = new WeakMap<INestMicroservice, { server: KeywardNatsServer } & Observability>();

/** The entry module of every NATS app: the service's module and its metrics registry. */
@Module({})
class NatsServiceRoot {}

/**
 * A Nest app serving NATS subjects with Keyward's plain-JSON wire format and reply envelope,
 * logging JSON lines (Nest's messages and one line per request) and counting in its registry.
 */
export async function createNatsMicroservice(
  module: Type<unknown> | DynamicModule,
  options: NatsMicroserviceOptions,
): Promise<INestMicroservice> {
  const { nats, queue, name } = options;
  const logger = createServiceLogger({
    service: name,
    level: options.logLevel ?? 'info',
    destination: options.logDestination,
  });
  const metrics = options.metrics ?? createServiceRegistry(name);
  const server = new KeywardNatsServer({
    ...nats,
    queue,
    name,
    noAsyncTraces: true,
    serializer: new JsonEnvelopeSerializer(),
    deserializer: new JsonEnvelopeDeserializer(),
  });
  server.requestLog = new NatsRequestLog(logger, metrics);
  const root = { module: NatsServiceRoot, imports: [module, MetricsModule.forRoot(metrics)] };
  const app = await NestFactory.createMicroservice(root, {
    strategy: server,
    logger: nestLoggerFor(logger),
  });
  apps.set(app, { server, logger, metrics });
  return app;
}

function entryOf(app: INestMicroservice) {
  const entry = apps.get(app);
  if (!entry) throw new Error('not an app made by createNatsMicroservice');
  return entry;
}

/** The NATS server of an app made by `createNatsMicroservice`. */
export function natsServerOf(app: INestMicroservice): KeywardNatsServer {
  return entryOf(app).server;
}

/** The logger and the metrics registry of an app made by `createNatsMicroservice`. */
export function observabilityOf(app: INestMicroservice): Observability {
  const { logger, metrics } = entryOf(app);
  return { logger, metrics };
}

/**
 * Starts answering, and returns once the server knows the subscriptions: a request sent right
 * after must find a responder.
 */
export async function listenOnNats(app: INestMicroservice): Promise<void> {
  await app.listen();
  await app.unwrap<NatsConnection>().flush();
}
