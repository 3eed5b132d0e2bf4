import { hashApiKey, hashesEqual } from './hash-api-key';

describe('hashApiKey', () => {
  it('is the hex SHA-256 of the secret', () => {
    expect(hashApiKey('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('gives different keys different hashes and the same key the same hash', () => {
    const key = 'kw_live_example';
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toBe(hashApiKey(`${key}x`));
  });
});

describe('hashesEqual', () => {
  const hash = hashApiKey('kw_live_example');

  it('is true for equal hashes', () => {
    expect(hashesEqual(hash, hashApiKey('kw_live_example'))).toBe(true);
  });

  it('is false when any character differs', () => {
    expect(hashesEqual(hash, `${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(hashesEqual(hash, `${hash.startsWith('0') ? '1' : '0'}${hash.slice(1)}`)).toBe(false);
  });

  it('is false, without throwing, when lengths differ', () => {
    expect(hashesEqual(hash, hash.slice(1))).toBe(false);
    expect(hashesEqual('', hash)).toBe(false);
  });

  it('is false for strings of equal length but different byte length', () => {
    expect(hashesEqual('é', 'e')).toBe(false);
  });

  it('compares with crypto.timingSafeEqual', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto = require('crypto') as typeof import('crypto');
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    hashesEqual(hash, hash);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
