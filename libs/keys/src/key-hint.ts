import { KEY_PREFIX } from './key-format';

const SHOWN_RANDOM_CHARS = 4;
const SHOWN_TAIL_CHARS = 4;

// Enough to tell keys apart in a list; the tail is mostly checksum, so at most 8 characters of
// the random part are ever revealed (in practice 4).
export function keyHint(secret: string, env: string): string {
  const randomStart = KEY_PREFIX.length + env.length + 1;
  const head = secret.slice(0, randomStart + SHOWN_RANDOM_CHARS);
  return `${head}…${secret.slice(-SHOWN_TAIL_CHARS)}`;
}
