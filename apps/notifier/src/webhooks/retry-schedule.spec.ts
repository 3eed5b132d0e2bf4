import { retryAt, retryDelay, type RetryPolicy } from './retry-schedule';

const policy: RetryPolicy = { baseMs: 5_000, maxMs: 3_600_000, forMs: 86_400_000 };

describe('retry backoff', () => {
  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [10, 2_560_000],
    [11, 3_600_000],
    [40, 3_600_000],
    [2_000, 3_600_000],
  ])('after failure %i the delay is within [d/2, d], d = %i', (failed, d) => {
    expect(retryDelay(failed, policy, () => 0)).toBe(d / 2);
    expect(retryDelay(failed, policy, () => 0.999_999)).toBeLessThanOrEqual(d);
    expect(retryDelay(failed, policy, () => 0.999_999)).toBeGreaterThan(d * 0.99);
    for (let i = 0; i < 50; i++) {
      const delay = retryDelay(failed, policy);
      expect(delay).toBeGreaterThanOrEqual(d / 2);
      expect(delay).toBeLessThanOrEqual(d);
    }
  });

  it('retries while the next try falls inside the window from the first attempt, then gives up', () => {
    const first = 1_000_000;
    const end = first + policy.forMs;
    const half = () => 0;
    expect(retryAt(1, first, first + 100, policy, half)).toBe(first + 2_600);
    expect(retryAt(30, first, end - 1_800_000, policy, half)).toBe(end);
    expect(retryAt(30, first, end - 1_799_999, policy, half)).toBeNull();
    expect(retryAt(30, first, end + 1, policy, half)).toBeNull();
  });

  it('a day of retries at the defaults is about 30 attempts', () => {
    let now = 0;
    let attempts = 1;
    for (let at = retryAt(1, 0, now, policy, () => 1); at !== null; attempts++) {
      now = at;
      at = retryAt(attempts + 1, 0, now, policy, () => 1);
    }
    expect(attempts).toBeGreaterThanOrEqual(28);
    expect(attempts).toBeLessThanOrEqual(35);
  });
});
