import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { BASE62_ALPHABET, encodeBase62 } from './base62';
import { crc32 } from './crc32';
import { generateApiKey } from './generate-api-key';
import { parseApiKey } from './parse-api-key';

const MALFORMED = { ok: false, reason: 'malformed' };
const base62Char = fc.constantFrom(...BASE62_ALPHABET);
const anyChar = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const SURROGATES = 0xe000 - 0xd800;
/**
 * One code point, any but a surrogate: what `fc.string({ unit: 'binary' })` draws (the same
 * values, bias and injected slices such as `__proto__`), without the reverse map of all 1.1
 * million code points fast-check builds for that unit on first use, seconds of this file's time.
 */
const anyCodePoint = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (n) => String.fromCodePoint(n < 0xd800 ? n : n + SURROGATES),
  (value) => {
    const code = typeof value === 'string' ? value.codePointAt(0) : undefined;
    if (code === undefined || String.fromCodePoint(code) !== value) throw new Error('not one');
    if (code >= 0xd800 && code < 0xe000) throw new Error('a surrogate');
    return code < 0xd800 ? code : code - SURROGATES;
  },
);
/**
 * The property tests' check: what `expect(parseApiKey(value)).toEqual(MALFORMED)` checks, as a
 * boolean fast-check reports (with the shrunk counterexample) — a Jest expect per run costs more
 * than the parse itself, seconds over the runs below.
 */
const isMalformed = (value: string) => isDeepStrictEqual(parseApiKey(value), MALFORMED);

function withChecksum(unchecked: string): string {
  return unchecked + encodeBase62(crc32(unchecked), 6);
}

function replaceAt(text: string, index: number, char: string): string {
  return text.slice(0, index) + char + text.slice(index + 1);
}

describe('parseApiKey', () => {
  it('accepts a key built by hand to the format', () => {
    const key = withChecksum(`kw_test_${'a'.repeat(40)}`);
    expect(parseApiKey(key)).toEqual({ ok: true, env: 'test', key });
  });

  it.each([
    ['empty', ''],
    ['too short', withChecksum(`kw_live_${'a'.repeat(39)}`)],
    ['too long', withChecksum(`kw_live_${'a'.repeat(41)}`)],
    ['wrong prefix', withChecksum(`kx_live_${'a'.repeat(40)}`)],
    ['upper-case env', withChecksum(`kw_LIVE_${'a'.repeat(40)}`)],
    ['one-letter env', withChecksum(`kw_l_${'a'.repeat(40)}`)],
    ['env too long', withChecksum(`kw_abcdefghi_${'a'.repeat(40)}`)],
    ['non-base62 random', withChecksum(`kw_live_${'a'.repeat(39)}-`)],
    ['non-ASCII random', withChecksum(`kw_live_${'a'.repeat(39)}é`)],
    ['bad checksum', `kw_live_${'a'.repeat(40)}000000`],
    ['surrounding space', ` ${withChecksum(`kw_live_${'a'.repeat(39)}`)}`],
  ])('rejects a key with %s', (_case, value) => {
    expect(parseApiKey(value)).toEqual(MALFORMED);
  });

  it('rejects non-strings instead of throwing', () => {
    expect(parseApiKey(undefined as unknown as string)).toEqual(MALFORMED);
    expect(parseApiKey(42 as unknown as string)).toEqual(MALFORMED);
  });

  it('never accepts a random string', () => {
    fc.assert(fc.property(fc.string({ unit: anyCodePoint, maxLength: 80 }), isMalformed), {
      numRuns: 10_000,
    });
  });

  it('never accepts a random kw_live_ string of the right length and charset', () => {
    const body = fc.string({ unit: base62Char, minLength: 46, maxLength: 46 });
    fc.assert(
      fc.property(body, (rest) => isMalformed(`kw_live_${rest}`)),
      { numRuns: 10_000 },
    );
  });

  it('rejects every single-character change to a generated key', () => {
    const change = fc.record({
      index: fc.nat({ max: 53 }),
      char: fc.oneof(base62Char, fc.constantFrom('_', 'k', 'w'), anyChar),
    });
    fc.assert(
      fc.property(change, ({ index, char }) => {
        const { secret } = generateApiKey();
        fc.pre(secret[index] !== char);
        return isMalformed(replaceAt(secret, index, char));
      }),
      { numRuns: 20_000 },
    );
  });

  it('rejects, for one key, every substitution of a base62 character at every position', () => {
    const { secret } = generateApiKey('test');
    let accepted = 0;
    for (let index = 0; index < secret.length; index++) {
      for (const char of BASE62_ALPHABET) {
        if (char === secret[index]) continue;
        if (parseApiKey(replaceAt(secret, index, char)).ok) accepted++;
      }
    }
    expect(accepted).toBe(0);
  });
});
