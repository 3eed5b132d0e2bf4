import { createHash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { HEADERS } from '@keyward/messaging';
import type { MsgHdrs } from 'nats';
import { RejectedBody } from './json-envelope.deserializer';
import { requestRecordOf, type RequestRecord } from './observability/nats-request-log';

/** Who is calling and from where, as the NATS headers say; authentication happens later. */
export interface CallContext {
  authorization?: string;
  operatorToken?: string;
  idempotencyKey?: string;
  correlationId?: string;
  source: { ip: string | null; userAgent: string | null; channel: 'http' | 'nats' };
  /** Subject and body, hashed: a retry must repeat the request its Idempotency-Key first named. */
  requestFingerprint: string;
  /** The request's log record, where the authenticated principal is noted (`notePrincipal`). */
  request?: RequestRecord;
}

/** Names the authenticated caller in the request's log line. */
export function notePrincipal(call: CallContext, principalId: string): void {
  if (call.request) call.request.principalId = principalId;
}

export function callContextFrom(
  headers: MsgHdrs | undefined,
  subject = '',
  body: unknown = undefined,
): CallContext {
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
    requestFingerprint: fingerprint(subject, body),
  };
}

function fingerprint(subject: string, body: unknown): string {
  // A refused body is never applied, so it needs no real fingerprint: never stringify it (a
  // body nested thousands deep would overflow the stack).
  const text =
    body instanceof RejectedBody ? `rejected:${body.error.code}` : JSON.stringify(body ?? null);
  return createHash('sha256').update(subject).update('\u0000').update(text).digest('hex');
}

export const Call = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const rpc = ctx.switchToRpc();
  const nats = rpc.getContext<NatsContext>();
  const headers = nats.getHeaders();
  const call = callContextFrom(headers, nats.getSubject(), rpc.getData());
  const request = requestRecordOf(headers);
  return request ? { ...call, request } : call;
});
