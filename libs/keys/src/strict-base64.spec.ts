import { decodeStrictBase64 } from './strict-base64';

describe('decodeStrictBase64', () => {
  it('decodes canonical base64, with or without padding', () => {
    expect(decodeStrictBase64('c2EtMTprd19saXZlX3g=')).toBe('sa-1:kw_live_x');
    expect(decodeStrictBase64('c2EtMTprd19saXZlX3g')).toBe('sa-1:kw_live_x');
  });

  it.each([
    ['characters outside the alphabet', 'c2Et!MTpr'],
    ['base64url characters', 'c2E-MTpr'],
    ['an empty value', ''],
    ['non-canonical trailing bits', 'YR=='],
  ])('refuses %s', (_case, encoded) => {
    expect(decodeStrictBase64(encoded)).toBeUndefined();
  });
});
