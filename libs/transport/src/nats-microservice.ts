import type { INestMicroservice, LogLevel } from '@nestjs/common';
import { NestFactory, type IEntryNestModule } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import { JsonEnvelopeDeserializer } from './json-envelope.deserializer';
import { JsonEnvelopeSerializer } from './json-envelope.serializer';
import { KeywardNatsServer } from './keyward-nats-server';
import type { NatsConnectionSettings } from './nats-options';

export interface NatsMicroserviceOptions {
  nats: NatsConnectionSettings;
  /** The queue group every replica of the service shares. */
  queue: string;
  name?: string;
  logger?: LogLevel[];
}

const servers = new WeakMap<INestMicroservice, KeywardNatsServer>();

/** A Nest app serving NATS subjects with Keyward's plain-JSON wire format and reply envelope. */
export async function createNatsMicroservice(
  module: IEntryNestModule,
  { nats, queue, name, logger = ['error', 'warn', 'log'] }: NatsMicroserviceOptions,
): Promise<INestMicroservice> {
  const server = new KeywardNatsServer({
    ...nats,
    queue,
    ...(name === undefined ? {} : { name }),
    noAsyncTraces: true,
    serializer: new JsonEnvelopeSerializer(),
    deserializer: new JsonEnvelopeDeserializer(),
  });
  const app = await NestFactory.createMicroservice(module, { strategy: server, logger });
  servers.set(app, server);
  return app;
}

/** The NATS server of an app made by `createNatsMicroservice`. */
export function natsServerOf(app: INestMicroservice): KeywardNatsServer {
  const server = servers.get(app);
  if (!server) throw new Error('not an app made by createNatsMicroservice');
  return server;
}

/**
 * Starts answering, and returns once the server knows the subscriptions: a request sent right
 * after must find a responder.
 */
export async function listenOnNats(app: INestMicroservice): Promise<void> {
  await app.listen();
  await app.unwrap<NatsConnection>().flush();
}
