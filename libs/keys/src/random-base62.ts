import { randomBytes } from 'crypto';
import { BASE62_ALPHABET } from './base62';

// 248 = 4 · 62: bytes below it map onto the alphabet evenly, so rejecting the rest removes the
// modulo bias that `byte % 62` alone would have.
const UNBIASED_LIMIT = 248;

export type ByteSource = (count: number) => Uint8Array;

export function randomBase62(length: number, source: ByteSource = randomBytes): string {
  let result = '';
  while (result.length < length) {
    // Over-draw a little: about 3 % of bytes are rejected, so one batch is nearly always enough.
    const bytes = source(length - result.length + 8);
    for (let i = 0; i < bytes.length && result.length < length; i++) {
      if (bytes[i] < UNBIASED_LIMIT) result += BASE62_ALPHABET[bytes[i] % 62];
    }
  }
  return result;
}
