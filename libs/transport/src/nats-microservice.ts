import type { INestMicroservice, LogLevel } from '@nestjs/common';
import { NestFactory, type IEntryNestModule } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { NatsConnection } from 'nats';
import { JsonEnvelopeDeserializer } from './json-envelope.deserializer';
import { JsonEnvelopeSerializer } from './json-envelope.serializer';
import type { NatsConnectionSettings } from './nats-options';

export interface NatsMicroserviceOptions {
  nats: NatsConnectionSettings;
  /** The queue group every replica of the service shares. */
  queue: string;
  name?: string;
  logger?: LogLevel[];
}

/** A Nest app serving NATS subjects with Keyward's plain-JSON wire format and reply envelope. */
export function createNatsMicroservice(
  module: IEntryNestModule,
  { nats, queue, name, logger = ['error', 'warn', 'log'] }: NatsMicroserviceOptions,
): Promise<INestMicroservice> {
  return NestFactory.createMicroservice<MicroserviceOptions>(module, {
    transport: Transport.NATS,
    options: {
      ...nats,
      queue,
      ...(name === undefined ? {} : { name }),
      noAsyncTraces: true,
      serializer: new JsonEnvelopeSerializer(),
      deserializer: new JsonEnvelopeDeserializer(),
    },
    logger,
  });
}

/**
 * Starts answering, and returns once the server knows the subscriptions: a request sent right
 * after must find a responder.
 */
export async function listenOnNats(app: INestMicroservice): Promise<void> {
  await app.listen();
  await app.unwrap<NatsConnection>().flush();
}
