import type { FieldError, ReplyError } from './reply';

/**
 * The bounds every request body must keep, on every subject (verify and authorize included):
 * checked on the raw bytes before anything parses or walks the body, so no body can make a
 * service recurse deeply or spend time in proportion to an attacker's wishes.
 */
export const REQUEST_BODY_LIMITS = {
  /** Bytes of UTF-8 JSON; larger is `REQUEST.TOO_LARGE`. */
  maxBytes: 64 * 1024,
  /** Nesting of objects and arrays; `{}` is 1 level. Deeper is `VALIDATION.FAILED`. */
  maxDepth: 8,
} as const;

/** Keys refused at any depth: they name prototypes, never data. */
export const FORBIDDEN_BODY_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(FORBIDDEN_BODY_KEYS);

export type DecodedRequestBody =
  { ok: true; body: Record<string, unknown> } | { ok: false; error: ReplyError };

/** With `arrayBody`: an object, or an array at the top (its items are checked the same way). */
export type DecodedRequestBodyOrArray =
  { ok: true; body: Record<string, unknown> | unknown[] } | { ok: false; error: ReplyError };

export interface DecodeRequestBodyOptions {
  /** The subject documents an empty body (health pings): no bytes read as `{}`. */
  emptyBody?: boolean;
  /**
   * A larger bound than `REQUEST_BODY_LIMITS.maxBytes`, for an HTTP route that documents one
   * (the leak report: 1,000 keys); never for a NATS subject.
   */
  maxBytes?: number;
}

const decoder = new TextDecoder();

const OPEN_BRACE = 0x7b; // {
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACE = 0x7d; // }
const CLOSE_BRACKET = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

function refusal(error: ReplyError): DecodedRequestBody {
  return Object.freeze({ ok: false, error: Object.freeze(error) }) as DecodedRequestBody;
}

const EMPTY = refusal({
  code: 'REQUEST.MALFORMED_JSON',
  kind: 'invalid',
  message: 'request body is empty; send a JSON object',
});
const MALFORMED = refusal({
  code: 'REQUEST.MALFORMED_JSON',
  kind: 'invalid',
  message: 'request body is not valid JSON',
});
const NOT_AN_OBJECT = refusal({
  code: 'REQUEST.NOT_AN_OBJECT',
  kind: 'invalid',
  message: 'request body must be a JSON object',
});
const TOO_LARGE = refusal({
  code: 'REQUEST.TOO_LARGE',
  kind: 'too_large',
  message: `request body is larger than ${REQUEST_BODY_LIMITS.maxBytes} bytes`,
});
const TOO_DEEP_FIELD: FieldError = Object.freeze({
  field: '(body)',
  message: `nested deeper than ${REQUEST_BODY_LIMITS.maxDepth} levels`,
});
const TOO_DEEP = refusal({
  code: 'VALIDATION.FAILED',
  kind: 'invalid',
  message: `invalid request: ${TOO_DEEP_FIELD.field}: ${TOO_DEEP_FIELD.message}`,
  fields: Object.freeze([TOO_DEEP_FIELD]) as FieldError[],
});

/** Outcome of the byte scan: within the depth bound (and whether any non-blank byte was seen). */
const BLANK = 0;
const SCANNED = 1;
const DEEP = 2;

/**
 * Reads a request body the same way on every subject: empty, too large, too deep, not JSON,
 * not an object, or carrying a prototype key is refused with a stable code; otherwise the plain
 * object. Pure and linear in the body's size; nothing recursive runs before the depth is known.
 */
export function decodeRequestBody(
  bytes: Uint8Array,
  options?: DecodeRequestBodyOptions,
): DecodedRequestBody;
export function decodeRequestBody(
  bytes: Uint8Array,
  options: DecodeRequestBodyOptions & { arrayBody: true },
): DecodedRequestBodyOrArray;
export function decodeRequestBody(
  bytes: Uint8Array,
  options?: DecodeRequestBodyOptions & { arrayBody?: boolean },
): DecodedRequestBodyOrArray {
  const maxBytes = options?.maxBytes ?? REQUEST_BODY_LIMITS.maxBytes;
  if (bytes.length > maxBytes) {
    return maxBytes === REQUEST_BODY_LIMITS.maxBytes
      ? TOO_LARGE
      : refusal({
          code: 'REQUEST.TOO_LARGE',
          kind: 'too_large',
          message: `request body is larger than ${maxBytes} bytes`,
        });
  }
  const scan = scanDepth(bytes, REQUEST_BODY_LIMITS.maxDepth);
  if (scan === BLANK) return options?.emptyBody ? { ok: true, body: {} } : EMPTY;
  if (scan === DEEP) return TOO_DEEP;
  let body: unknown;
  try {
    // JSON.parse defines `__proto__` as an own data property; it never sets a prototype.
    body = JSON.parse(decoder.decode(bytes));
  } catch {
    return MALFORMED;
  }
  if (typeof body !== 'object' || body === null) return NOT_AN_OBJECT;
  if (Array.isArray(body) && !options?.arrayBody) return NOT_AN_OBJECT;
  const forbidden = forbiddenKeys(body, '', undefined);
  if (forbidden !== undefined) {
    const summary = forbidden.map((f) => `${f.field}: ${f.message}`).join('; ');
    return {
      ok: false,
      error: {
        code: 'VALIDATION.FAILED',
        kind: 'invalid',
        message: `invalid request: ${summary}`,
        fields: forbidden,
      },
    };
  }
  return { ok: true, body: body as Record<string, unknown> | unknown[] };
}

/**
 * One pass over the raw bytes counting `{`/`[` nesting outside JSON strings (escapes skipped).
 * UTF-8 continuation bytes are all >= 0x80, so they never look like structure.
 */
function scanDepth(bytes: Uint8Array, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  let blank = true;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    switch (byte) {
      case 0x20: // space
      case 0x09: // tab
      case 0x0a: // line feed
      case 0x0d: // carriage return
        continue;
      case QUOTE:
        inString = true;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        if (++depth > maxDepth) return DEEP;
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        // Unbalanced closers are JSON.parse's to refuse; never let them buy extra depth.
        if (depth > 0) depth--;
        break;
    }
    blank = false;
  }
  return blank ? BLANK : SCANNED;
}

/** Every prototype key at any depth (bounded by the scan), as field errors; none: undefined. */
function forbiddenKeys(
  value: object,
  path: string,
  found: FieldError[] | undefined,
): FieldError[] | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) {
        found = forbiddenKeys(item, path === '' ? String(i) : `${path}.${i}`, found);
      }
    }
    return found;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (FORBIDDEN_KEYS.has(key)) {
      (found ??= []).push({
        field: path === '' ? key : `${path}.${key}`,
        message: `property ${key} should not exist`,
      });
      continue;
    }
    const item = record[key];
    if (typeof item === 'object' && item !== null) {
      found = forbiddenKeys(item, path === '' ? key : `${path}.${key}`, found);
    }
  }
  return found;
}
