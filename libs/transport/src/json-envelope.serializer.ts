import type { Serializer } from '@nestjs/microservices';
import type { Reply, ReplyError } from '@keyward/messaging';

interface ResponsePacket {
  response?: unknown;
  err?: unknown;
}

const encoder = new TextEncoder();

/** Wraps every answer in Keyward's `{ok, data | error}` envelope. */
export class JsonEnvelopeSerializer implements Serializer {
  serialize(packet: ResponsePacket): { data: Uint8Array } {
    const reply: Reply<unknown> =
      packet.err === undefined || packet.err === null
        ? { ok: true, data: packet.response ?? null }
        : { ok: false, error: asReplyError(packet.err) };
    return { data: encoder.encode(JSON.stringify(reply)) };
  }
}

function asReplyError(err: unknown): ReplyError {
  if (isReplyError(err)) return err;
  // Nest's own errors (e.g. no handler for a subject) arrive as strings.
  return { code: 'INTERNAL', kind: 'internal', message: String(err) };
}

function isReplyError(err: unknown): err is ReplyError {
  return typeof err === 'object' && err !== null && 'code' in err && 'kind' in err;
}
