import { encodeBase62 } from './base62';
import { crc32 } from './crc32';
import { generateApiKey } from './generate-api-key';
import {
  BODY_LENGTH,
  CHECKSUM_LENGTH,
  ENV_MAX_LENGTH,
  ENV_MIN_LENGTH,
  KEY_PREFIX,
  RANDOM_LENGTH,
} from './key-format';
import { parseApiKey } from './parse-api-key';
import { KEY_SCANNER_PATTERN } from './scanner-pattern';

const whole = new RegExp(`^(?:${KEY_SCANNER_PATTERN})$`);
const inText = () => new RegExp(KEY_SCANNER_PATTERN, 'g');

/** A key of any env with a valid checksum (generateApiKey draws the random part). */
function keyOf(
  env: string,
  random = generateApiKey().secret.slice(-BODY_LENGTH, -CHECKSUM_LENGTH),
) {
  const unchecked = `${KEY_PREFIX}${env}_${random}`;
  return unchecked + encodeBase62(crc32(unchecked), CHECKSUM_LENGTH);
}

describe('KEY_SCANNER_PATTERN (README: Reporting leaked keys)', () => {
  it('is the key format of key-format.ts, written out', () => {
    expect(KEY_SCANNER_PATTERN).toBe(
      `\\b${KEY_PREFIX}[a-z]{${ENV_MIN_LENGTH},${ENV_MAX_LENGTH}}_[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}\\b`,
    );
  });

  it('matches every generated key, of every env length', () => {
    for (let i = 0; i < 2000; i++) {
      const { secret } = generateApiKey(i % 2 === 0 ? 'live' : 'test');
      expect(whole.test(secret)).toBe(true);
    }
    for (const env of ['ab', 'dev', 'staging', 'abcdefgh']) {
      const key = keyOf(env);
      expect(parseApiKey(key).ok).toBe(true);
      expect(whole.test(key)).toBe(true);
    }
  });

  it('finds keys in text: config files, URLs, JSON, quoted, at line ends', () => {
    const a = generateApiKey().secret;
    const b = generateApiKey('test').secret;
    const text = `KEYWARD_KEY=${a}\ncurl -H "Authorization: Bearer ${b}"\n{"k":"${a}"} https://x/?key=${b}&x=1 '${a}'`;
    expect(text.match(inText())).toEqual([a, b, a, b, a]);
  });

  it.each([
    ['one random character short', (k: string) => k.slice(0, -1)],
    ['one character too many', (k: string) => `${k}A`],
    ['a non-base62 character in the body', (k: string) => `${k.slice(0, 20)}-${k.slice(21)}`],
    ['an upper-case env', (k: string) => k.replace('kw_live_', 'kw_LIVE_')],
    ['another prefix', (k: string) => k.replace('kw_', 'kx_')],
    ['an upper-case prefix', (k: string) => k.replace('kw_', 'KW_')],
    ['a one-letter env', (k: string) => k.replace('kw_live_', 'kw_l_')],
    [
      'a nine-letter env',
      (k: string) => k.replace('kw_live_', 'kw_liveliver_').slice(0, k.length + 5),
    ],
    ['no env', (k: string) => k.replace('kw_live_', 'kw__')],
    ['inside a longer word', (k: string) => `x${k}`],
    ['followed by an underscore', (k: string) => `${k}_`],
  ])('does not match %s', (_case, mutate) => {
    const near = mutate(generateApiKey().secret);
    expect(near.match(inText())).toBeNull();
    expect(parseApiKey(near).ok).toBe(false);
  });

  it('matches the shape only: a wrong checksum is for parseApiKey to refuse', () => {
    const key = generateApiKey().secret;
    const last = key[key.length - 1] === 'a' ? 'b' : 'a';
    const wrong = key.slice(0, -1) + last;
    expect(whole.test(wrong)).toBe(true);
    expect(parseApiKey(wrong).ok).toBe(false);
  });
});
