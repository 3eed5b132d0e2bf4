// kw_<env>_<random><checksum>. A fixed prefix lets secret scanners find leaked keys.
export const KEY_PREFIX = 'kw_';
export const DEFAULT_KEY_ENV = 'live';
export const ENV_MIN_LENGTH = 2;
export const ENV_MAX_LENGTH = 8;

// 40 base62 characters carry 40 · log2(62) ≈ 238 bits; the spec asks for at least 190.
export const RANDOM_LENGTH = 40;
// 62^6 > 2^32, so six digits hold any CRC32.
export const CHECKSUM_LENGTH = 6;

// Everything after the env's closing underscore.
export const BODY_LENGTH = RANDOM_LENGTH + CHECKSUM_LENGTH;
export const MIN_KEY_LENGTH = KEY_PREFIX.length + ENV_MIN_LENGTH + 1 + BODY_LENGTH;
export const MAX_KEY_LENGTH = KEY_PREFIX.length + ENV_MAX_LENGTH + 1 + BODY_LENGTH;

const CHAR_A = 97;
const CHAR_Z = 122;

export function isLowercaseLetter(charCode: number): boolean {
  return charCode >= CHAR_A && charCode <= CHAR_Z;
}

export function isValidKeyEnv(env: string): boolean {
  if (env.length < ENV_MIN_LENGTH || env.length > ENV_MAX_LENGTH) return false;
  for (let i = 0; i < env.length; i++) {
    if (!isLowercaseLetter(env.charCodeAt(i))) return false;
  }
  return true;
}
