import { createHash, timingSafeEqual } from 'crypto';

// Keys carry ≥ 190 random bits, so a fast unsalted hash is safe (NIST SP 800-63B 5.1.2.2) and
// lets the verifier look a key up by its hash in O(1).
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

// Length is not secret (every hash has the same one); the content comparison must not leak
// how many leading characters matched.
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
