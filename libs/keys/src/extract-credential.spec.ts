import { extractCredential } from './extract-credential';

const KEY = 'kw_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd0A1b2C';
const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('extractCredential', () => {
  it.each([`Bearer ${KEY}`, `bearer ${KEY}`, `BEARER ${KEY}`, `Bearer   ${KEY}  `])(
    'takes the key from %j',
    (header) => {
      expect(extractCredential(header)).toEqual({ kind: 'key', key: KEY });
    },
  );

  it('takes a bare key, as seed 003 sends it', () => {
    expect(extractCredential(KEY)).toEqual({ kind: 'key', key: KEY });
  });

  it('passes a bare value through even if it is not a key: the parser rejects it later', () => {
    expect(extractCredential('not-a-key')).toEqual({ kind: 'key', key: 'not-a-key' });
  });

  it('splits Basic credentials into the account id and the key', () => {
    expect(extractCredential(basic(`sa-123:${KEY}`))).toEqual({
      kind: 'basic',
      username: 'sa-123',
      key: KEY,
    });
  });

  it('accepts any case of the Basic scheme and keeps colons in the password', () => {
    const header = `bAsIc ${Buffer.from('sa-1:a:b').toString('base64')}`;
    expect(extractCredential(header)).toEqual({ kind: 'basic', username: 'sa-1', key: 'a:b' });
  });

  it.each([
    ['no header', undefined],
    ['a null header', null],
    ['an empty header', ''],
    ['only spaces', '   '],
    ['a scheme without a token', 'Bearer'],
    ['a scheme and blanks', 'Bearer   '],
    ['a bare Basic', 'basic'],
    ['an unknown scheme', `Token ${KEY}`],
    ['two tokens', `Bearer ${KEY} extra`],
    ['Basic that is not base64', 'Basic !!!not-base64!!!'],
    ['Basic without a colon', basic('sa-123')],
    ['Basic with an empty id', basic(`:${KEY}`)],
    ['Basic with an empty key', basic('sa-123:')],
    ['an oversized header', `Bearer ${'a'.repeat(5000)}`],
  ])('finds no credential in %s', (_case, header) => {
    expect(extractCredential(header)).toEqual({ kind: 'none' });
  });
});
