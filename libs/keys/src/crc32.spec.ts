import fc from 'fast-check';
import { crc32 } from './crc32';

describe('crc32', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['abc', 0x352441c2],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('gives the CRC-32/ISO-HDLC check value for %j', (text, expected) => {
    expect(crc32(text)).toBe(expected);
  });

  it('covers only the first `end` characters when told to', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), fc.nat(), (text, cut) => {
        const end = text.length === 0 ? 0 : cut % (text.length + 1);
        expect(crc32(text, end)).toBe(crc32(text.slice(0, end)));
      }),
    );
  });

  it('is always an unsigned 32-bit integer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (text) => {
        const crc = crc32(text);
        expect(Number.isInteger(crc) && crc >= 0 && crc <= 0xffffffff).toBe(true);
      }),
    );
  });
});
