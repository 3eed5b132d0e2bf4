import type { ConsumerDeserializer, IncomingEvent, IncomingRequest } from '@nestjs/microservices';

/** Stands in for a body that is not JSON, so validation can refuse it with its own code. */
export const MALFORMED_JSON = Symbol('malformed-json');

const decoder = new TextDecoder();

/**
 * Keyward's wire format is the request body itself (plain JSON), not Nest's `{pattern, data, id}`
 * packet, so any NATS client can call a subject without knowing Nest.
 */
export class JsonEnvelopeDeserializer implements ConsumerDeserializer {
  deserialize(
    value: Uint8Array,
    options?: { channel?: string; replyTo?: string },
  ): IncomingRequest | IncomingEvent {
    return { pattern: options?.channel ?? '', data: decodeBody(value), id: options?.replyTo };
  }
}

function decodeBody(value: Uint8Array): unknown {
  if (value.length === 0) return {};
  try {
    return JSON.parse(decoder.decode(value));
  } catch {
    return MALFORMED_JSON;
  }
}
