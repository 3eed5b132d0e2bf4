import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { generateApiKey } from './generate-api-key';
import { parseApiKey } from './parse-api-key';

const KEY_SHAPE = /^kw_([a-z]{2,8})_([0-9A-Za-z]{40})([0-9A-Za-z]{6})$/;

describe('generateApiKey', () => {
  it('issues live keys by default, shaped kw_live_<40 random><6 checksum>', () => {
    const { secret } = generateApiKey();
    expect(secret).toMatch(KEY_SHAPE);
    expect(secret.startsWith('kw_live_')).toBe(true);
    expect(secret).toHaveLength(54);
  });

  it('puts the requested env in the prefix', () => {
    expect(generateApiKey('test').secret.startsWith('kw_test_')).toBe(true);
  });

  it.each(['', 'x', 'LIVE', 'toolongenv', 'li_ve', 'liv3'])('refuses the env %j', (env) => {
    expect(() => generateApiKey(env)).toThrow(RangeError);
  });

  it('shows the prefix, four random characters and the last four in the hint', () => {
    const { secret, hint } = generateApiKey();
    expect(hint).toBe(`${secret.slice(0, 12)}…${secret.slice(-4)}`);
    expect(hint).toMatch(/^kw_live_[0-9A-Za-z]{4}…[0-9A-Za-z]{4}$/);
  });

  it('never issues the same key twice', () => {
    const secrets = new Set(Array.from({ length: 10_000 }, () => generateApiKey().secret));
    expect(secrets.size).toBe(10_000);
  });

  it('always issues keys that parse, for any valid env', () => {
    const env = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
      minLength: 2,
      maxLength: 8,
    });
    fc.assert(
      fc.property(env, (keyEnv) => {
        // A boolean fast-check reports with the counterexample, not a Jest expect per run.
        const { secret } = generateApiKey(keyEnv);
        return isDeepStrictEqual(parseApiKey(secret), { ok: true, env: keyEnv, key: secret });
      }),
      { numRuns: 2_000 },
    );
  });

  it('never reveals more than 8 characters of the random part in the hint', () => {
    fc.assert(
      fc.property(fc.constantFrom('live', 'test', 'qa', 'staging'), (env) => {
        const prefix = `kw_${env}_`;
        const { secret, hint } = generateApiKey(env);
        const random = secret.slice(prefix.length, -6);
        expect(hint.startsWith(prefix)).toBe(true);
        // Whatever of the random part the hint reveals is among these characters.
        expect(hint.slice(prefix.length).replace('…', '').length).toBeLessThanOrEqual(8);
        // Every 5-character run of the random part, checked in one expect (one per run cost
        // 72,000 Jest expects, seconds, over the 2,000 runs).
        const runs = Array.from({ length: random.length - 4 }, (_, i) => random.slice(i, i + 5));
        expect(runs.filter((run) => hint.includes(run))).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });
});
