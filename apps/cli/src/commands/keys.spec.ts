import { EXIT, exitCodeOfStatus } from '../exit-codes';
import { expiryOf, graceSecondsOf } from './keys';

describe('key expiry as typed', () => {
  const now = Date.parse('2027-01-01T00:00:00Z');
  const seconds = now / 1000;

  it('takes a duration from now, epoch seconds or a time', () => {
    expect(expiryOf('90m', now)).toBe(seconds + 90 * 60);
    expect(expiryOf('12h', now)).toBe(seconds + 12 * 3600);
    expect(expiryOf('30d', now)).toBe(seconds + 30 * 86_400);
    expect(expiryOf('45s', now)).toBe(seconds + 45);
    expect(expiryOf('1893456000', now)).toBe(1893456000);
    expect(expiryOf('2027-01-31T12:00:00Z', now)).toBe(Date.parse('2027-01-31T12:00:00Z') / 1000);
  });

  it('refuses anything else as a usage error', () => {
    for (const bad of ['soon', '30 days', '-5d', '1.5h', '']) {
      expect(() => expiryOf(bad, now)).toThrow(expect.objectContaining({ exitCode: EXIT.usage }));
    }
  });
});

describe('rotation grace as typed', () => {
  it('takes seconds or a duration, 0 included', () => {
    expect(graceSecondsOf('0')).toBe(0);
    expect(graceSecondsOf('2s')).toBe(2);
    expect(graceSecondsOf('90m')).toBe(5400);
    expect(graceSecondsOf('24h')).toBe(86_400);
    expect(graceSecondsOf('7d')).toBe(604_800);
    expect(graceSecondsOf('3600')).toBe(3600);
  });

  it('refuses anything else as a usage error', () => {
    for (const bad of ['soon', '-1', '1.5h', '', '2 h']) {
      expect(() => graceSecondsOf(bad)).toThrow(expect.objectContaining({ exitCode: EXIT.usage }));
    }
  });
});

describe('exit codes of API statuses', () => {
  it('maps each kind of refusal to its documented code', () => {
    expect(
      [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503].map((status) =>
        exitCodeOfStatus(status),
      ),
    ).toEqual([2, 3, 4, 5, 6, 2, 2, 2, 7, 7, 7]);
  });
});
