import { Logger } from '@nestjs/common';
import type { ConsumerDeserializer, IncomingEvent, IncomingRequest } from '@nestjs/microservices';
import {
  decodeRequestBody,
  HEALTH_SUBJECTS,
  PROJECTOR_HEALTH_SUBJECT,
  type ReplyError,
} from '@keyward/messaging';

/**
 * Stands in for a body refused at the edge (empty, too large, too deep, not JSON, not an object,
 * a prototype key), so `RequestValidationPipe` refuses it with its own code. Never serialized or
 * hashed as if it were the body.
 */
export class RejectedBody {
  constructor(
    readonly subject: string,
    readonly error: ReplyError,
  ) {
    Object.freeze(this);
  }
}

/** Subjects documented to take an empty body: the health pings. */
const EMPTY_BODY_SUBJECTS: ReadonlySet<string> = new Set<string>([
  ...Object.values(HEALTH_SUBJECTS),
  PROJECTOR_HEALTH_SUBJECT,
]);

/**
 * Keyward's wire format is the request body itself (plain JSON), not Nest's `{pattern, data, id}`
 * packet, so any NATS client can call a subject without knowing Nest.
 */
export class JsonEnvelopeDeserializer implements ConsumerDeserializer {
  private readonly logger = new Logger('RequestBody');

  deserialize(
    value: Uint8Array,
    options?: { channel?: string; replyTo?: string },
  ): IncomingRequest | IncomingEvent {
    const subject = options?.channel ?? '';
    const decoded = decodeRequestBody(value, { emptyBody: EMPTY_BODY_SUBJECTS.has(subject) });
    let data: unknown;
    if (decoded.ok) {
      data = decoded.body;
    } else {
      // One line per refused body: subject and code only, never the body, never a stack.
      this.logger.warn(`refused a request body on ${subject}: ${decoded.error.code}`);
      data = new RejectedBody(subject, decoded.error);
    }
    return { pattern: subject, data, id: options?.replyTo };
  }
}
