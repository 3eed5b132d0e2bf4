import { parseApiKey } from '@keyward/keys';
import { LEAK_REPORT_MAX_KEYS } from '@keyward/messaging';
import { EdgeError } from '../http/edge-error';

/** The public route secret scanners call (docs/product-rules.md rule 11). */
export const LEAK_REPORT_ROUTE = '/api/key/v1/leaked';

/**
 * The route's own body bound: 1,000 keys of the longest form (58 characters, `kw_` and an
 * 8-letter env) pretty-printed with indentation and CRLF take about 68 KB, past the 64 KiB
 * every other route allows; 128 KiB leaves room for the malformed values a scanner may send.
 */
export const LEAK_REPORT_BODY_LIMIT = 128 * 1024;

/** A report split into what goes to the command service and what is only counted. */
export interface SortedLeakReport {
  received: number;
  /** Values that are not Keyward keys: counted, never sent on, never echoed. */
  malformed: number;
  /** Well-formed keys (prefix, length and checksum), in the order received. */
  keys: string[];
}

/**
 * A bare JSON array of strings (SPEC §4), or `{"keys": [...]}`. Anything else, or more than
 * LEAK_REPORT_MAX_KEYS values, is 400 VALIDATION.FAILED naming `keys`, and nothing is revoked.
 * An item that is not a string is counted as malformed, like a string that is not a key: only
 * the batch's shape can refuse it, never one value.
 */
export function sortLeakReport(body: unknown): SortedLeakReport {
  const values = valuesOf(body);
  if (values.length > LEAK_REPORT_MAX_KEYS) {
    throw invalid(`at most ${LEAK_REPORT_MAX_KEYS} values per report, got ${values.length}`);
  }
  const keys: string[] = [];
  for (const value of values) {
    if (typeof value === 'string' && parseApiKey(value).ok) keys.push(value);
  }
  return { received: values.length, malformed: values.length - keys.length, keys };
}

function valuesOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    const extra = Object.keys(record).filter((name) => name !== 'keys');
    if (extra.length > 0) throw invalid(`unknown field ${extra[0]}; send an array of keys`);
    if (Array.isArray(record.keys)) return record.keys;
  }
  throw notAnArray();
}

/** The refusal of a body that is not an array or `{keys}` (a JSON string or number too). */
export function notAnArray(): EdgeError {
  return invalid('send a JSON array of the keys found (or {"keys": [...]})');
}

function invalid(problem: string): EdgeError {
  return EdgeError.invalid('VALIDATION.FAILED', `invalid request: keys: ${problem}`, [
    { field: 'keys', problem },
  ]);
}
