import fc from 'fast-check';
import { BASE62_ALPHABET, base62DigitValue, decodeBase62, encodeBase62 } from './base62';

describe('base62', () => {
  it('left-pads with zeros to the requested width', () => {
    expect(encodeBase62(0, 6)).toBe('000000');
    expect(encodeBase62(61, 6)).toBe('00000z');
    expect(encodeBase62(62, 6)).toBe('000010');
    expect(encodeBase62(0xffffffff, 6)).toBe('4gfFC3');
  });

  it('round-trips every 32-bit value through six digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (value) => {
        const digits = encodeBase62(value, 6);
        expect(digits).toHaveLength(6);
        expect(decodeBase62(digits, 0, 6)).toBe(value);
      }),
    );
  });

  it('refuses values that do not fit', () => {
    expect(() => encodeBase62(62 ** 2, 2)).toThrow(RangeError);
    expect(() => encodeBase62(-1, 6)).toThrow(RangeError);
  });

  it('knows exactly the 62 alphabet characters as digits', () => {
    const digits = new Set(BASE62_ALPHABET);
    for (let code = 0; code < 0x3000; code++) {
      const isDigit = digits.has(String.fromCharCode(code));
      expect(base62DigitValue(code) >= 0).toBe(isDigit);
    }
  });

  it('decodes to -1 when a character is not a digit', () => {
    expect(decodeBase62('00_000', 0, 6)).toBe(-1);
  });
});
