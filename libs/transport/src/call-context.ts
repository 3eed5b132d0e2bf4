import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { HEADERS } from '@keyward/messaging';
import type { MsgHdrs } from 'nats';

/** Who is calling and from where, as the NATS headers say; authentication happens later. */
export interface CallContext {
  authorization?: string;
  operatorToken?: string;
  idempotencyKey?: string;
  correlationId?: string;
  source: { ip: string | null; userAgent: string | null; channel: 'http' | 'nats' };
}

export function callContextFrom(headers: MsgHdrs | undefined): CallContext {
  const read = (name: string) => headers?.get(name) || undefined;
  return {
    authorization: read(HEADERS.authorization),
    operatorToken: read(HEADERS.operatorToken),
    idempotencyKey: read(HEADERS.idempotencyKey),
    correlationId: read(HEADERS.correlationId),
    source: {
      ip: read(HEADERS.sourceIp) ?? null,
      userAgent: read(HEADERS.userAgent) ?? null,
      channel: read(HEADERS.channel) === 'http' ? 'http' : 'nats',
    },
  };
}

export const Call = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  callContextFrom(ctx.switchToRpc().getContext<NatsContext>().getHeaders()),
);
