import { isKeyActive } from './key-ring';
import { NOW } from './testing/fixtures';

describe('isKeyActive', () => {
  it('holds for a live key without expiry', () => {
    expect(isKeyActive({ revokedReason: null, expiresAt: null }, NOW)).toBe(true);
  });

  it('ends at the first millisecond of expiry: expiresAt equal to now is expired', () => {
    expect(isKeyActive({ revokedReason: null, expiresAt: NOW + 1 }, NOW)).toBe(true);
    expect(isKeyActive({ revokedReason: null, expiresAt: NOW }, NOW)).toBe(false);
    expect(isKeyActive({ revokedReason: null, expiresAt: NOW - 1 }, NOW)).toBe(false);
  });

  it('does not hold for a revoked key', () => {
    expect(isKeyActive({ revokedReason: 'manual', expiresAt: null }, NOW)).toBe(false);
  });
});
