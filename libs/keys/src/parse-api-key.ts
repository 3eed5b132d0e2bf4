import { base62DigitValue, decodeBase62 } from './base62';
import { CRC32_INITIAL, crc32Final, crc32Step } from './crc32';
import {
  BODY_LENGTH,
  CHECKSUM_LENGTH,
  isLowercaseLetter,
  KEY_PREFIX,
  MAX_KEY_LENGTH,
  MIN_KEY_LENGTH,
} from './key-format';

export type ParsedApiKey =
  { ok: true; env: string; key: string } | { ok: false; reason: 'malformed' };

// Shared so that rejecting garbage allocates nothing.
const MALFORMED: ParsedApiKey = Object.freeze({ ok: false, reason: 'malformed' });

const CHAR_K = 107;
const CHAR_W = 119;
const CHAR_UNDERSCORE = 95;

// The verifier's first gate, run before any hash or lookup: cheapest checks first, no regex,
// no Buffer, no exceptions, so garbage costs a length compare and a key one pass of CRC.
export function parseApiKey(value: string): ParsedApiKey {
  if (typeof value !== 'string') return MALFORMED;
  const length = value.length;
  if (length < MIN_KEY_LENGTH || length > MAX_KEY_LENGTH) return MALFORMED;
  const envEnd = length - BODY_LENGTH - 1;
  if (!hasPrefixAndEnv(value, envEnd)) return MALFORMED;
  const checksumStart = length - CHECKSUM_LENGTH;
  const actual = checksumOfBase62Key(value, envEnd + 1, checksumStart);
  if (actual < 0 || actual !== decodeBase62(value, checksumStart, length)) return MALFORMED;
  return { ok: true, env: value.slice(KEY_PREFIX.length, envEnd), key: value };
}

// The length fixes where the env must end, so `kw_`, the env and its '_' are checked in place.
function hasPrefixAndEnv(value: string, envEnd: number): boolean {
  if (
    value.charCodeAt(0) !== CHAR_K ||
    value.charCodeAt(1) !== CHAR_W ||
    value.charCodeAt(2) !== CHAR_UNDERSCORE ||
    value.charCodeAt(envEnd) !== CHAR_UNDERSCORE
  ) {
    return false;
  }
  for (let i = KEY_PREFIX.length; i < envEnd; i++) {
    if (!isLowercaseLetter(value.charCodeAt(i))) return false;
  }
  return true;
}

// CRC32 of everything before the checksum, or -1 as soon as a random character is not base62:
// one pass over the key instead of a charset pass and then a CRC pass.
function checksumOfBase62Key(value: string, randomStart: number, randomEnd: number): number {
  let state = CRC32_INITIAL;
  for (let i = 0; i < randomStart; i++) state = crc32Step(state, value.charCodeAt(i));
  for (let i = randomStart; i < randomEnd; i++) {
    const charCode = value.charCodeAt(i);
    if (base62DigitValue(charCode) < 0) return -1;
    state = crc32Step(state, charCode);
  }
  return crc32Final(state);
}
