import { EXIT } from '../exit-codes';
import { expiryNoticeOf } from './organization';

describe('policy set --expiry-notice as typed', () => {
  it('takes seconds or a duration (0: no notice), or default (null)', () => {
    expect(expiryNoticeOf('7d')).toBe(604_800);
    expect(expiryNoticeOf('12h')).toBe(43_200);
    expect(expiryNoticeOf('90m')).toBe(5_400);
    expect(expiryNoticeOf('30s')).toBe(30);
    expect(expiryNoticeOf('3600')).toBe(3_600);
    expect(expiryNoticeOf('0')).toBe(0);
    expect(expiryNoticeOf('default')).toBeNull();
  });

  it('refuses anything else as a usage error', () => {
    for (const bad of ['soon', 'none', '-1', '1.5d', '', '2 h', 'Default']) {
      expect(() => expiryNoticeOf(bad)).toThrow(expect.objectContaining({ exitCode: EXIT.usage }));
    }
  });
});
