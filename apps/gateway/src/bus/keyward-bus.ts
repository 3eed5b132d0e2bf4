import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type NatsConnection, type NatsError } from 'nats';
import { NatsJsonClient, ReplyErrorException, type RevocationReply } from '@keyward/messaging';
import type { GatewayConfig } from '../config';
import { EdgeError } from '../http/edge-error';
import type { EdgeCall } from '../http/edge-call';
import { CONFIG, NATS_CONNECTION } from './tokens';

/**
 * The gateway is a client of the services like any other: each route is one request to the
 * subject that decides it, with the caller's credential and source. No rule is re-checked here.
 */
@Injectable()
export class KeywardBus {
  private readonly client: NatsJsonClient;

  constructor(
    @Inject(NATS_CONNECTION) connection: NatsConnection,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.client = new NatsJsonClient(connection, config.requestTimeoutMs);
  }

  /** A revocation's answer as HTTP gives it: the store position stays internal. */
  async revoke(subject: string, body: unknown, edge: EdgeCall): Promise<RevokedKeys> {
    const reply = await this.call<RevocationReply>(subject, body, edge);
    return { revokedKeyIds: reply.revokedKeyIds };
  }

  async call<T>(subject: string, body: unknown, edge: EdgeCall): Promise<T> {
    try {
      return await this.client.request<T>(subject, body, edge);
    } catch (error) {
      throw edgeErrorOf(error);
    }
  }
}

export interface RevokedKeys {
  revokedKeyIds: string[];
}

function edgeErrorOf(error: unknown): unknown {
  if (error instanceof ReplyErrorException) return EdgeError.fromReply(error.error);
  const code = (error as NatsError).code;
  if (code === ErrorCode.NoResponders || code === ErrorCode.Timeout) {
    return new EdgeError(503, {
      code: 'SERVICE.UNAVAILABLE',
      message:
        code === ErrorCode.Timeout
          ? 'the service that answers this request did not answer in time'
          : 'no service is answering this request right now',
    });
  }
  return error;
}
