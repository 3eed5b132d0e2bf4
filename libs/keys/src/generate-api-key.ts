import { encodeBase62 } from './base62';
import { crc32 } from './crc32';
import {
  CHECKSUM_LENGTH,
  DEFAULT_KEY_ENV,
  isValidKeyEnv,
  KEY_PREFIX,
  RANDOM_LENGTH,
} from './key-format';
import { keyHint } from './key-hint';
import { randomBase62 } from './random-base62';

export interface GeneratedApiKey {
  // Shown to the caller once and never stored (docs/product-rules.md rule 4); persist hashApiKey(secret).
  secret: string;
  hint: string;
}

export function generateApiKey(env: string = DEFAULT_KEY_ENV): GeneratedApiKey {
  if (!isValidKeyEnv(env)) {
    throw new RangeError(`key env must be 2–8 lowercase letters, got ${JSON.stringify(env)}`);
  }
  const unchecked = `${KEY_PREFIX}${env}_${randomBase62(RANDOM_LENGTH)}`;
  const secret = unchecked + encodeBase62(crc32(unchecked), CHECKSUM_LENGTH);
  return { secret, hint: keyHint(secret, env) };
}
