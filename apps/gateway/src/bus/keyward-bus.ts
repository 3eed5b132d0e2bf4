import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorCode, type NatsConnection, type NatsError } from 'nats';
import { NatsJsonClient, ReplyErrorException, type RevocationReply } from '@keyward/messaging';
import { POSITION_HEADER } from '../auth/forward-auth';
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

  /**
   * A revocation's answer as HTTP gives it in a 200 body: the revoked keys and `position`, a
   * store position every live verifier has applied (see `RevocationReply`).
   */
  async revoke(subject: string, body: unknown, edge: EdgeCall): Promise<RevokedKeys> {
    const reply = await this.call<RevocationReply>(subject, body, edge);
    return { revokedKeyIds: reply.revokedKeyIds, position: reply.position };
  }

  /** A revocation answered 204: its position goes in the `X-Keyward-Position` header. */
  async revokeWithoutBody(
    subject: string,
    body: unknown,
    edge: EdgeCall,
    response: FastifyReply,
  ): Promise<void> {
    const reply = await this.call<RevocationReply>(subject, body, edge);
    if (reply.position !== null) void response.header(POSITION_HEADER, reply.position);
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
  position: string | null;
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
