// Digits first, so that left-padding with '0' keeps a number's value (GitHub's checksum layout).
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// Indexed by char code: the digit's value, or -1. An array lookup beats a regex on the hot path.
const DIGIT_VALUES: Int8Array = buildDigitValues();

function buildDigitValues(): Int8Array {
  const values = new Int8Array(128).fill(-1);
  for (let digit = 0; digit < BASE62_ALPHABET.length; digit++) {
    values[BASE62_ALPHABET.charCodeAt(digit)] = digit;
  }
  return values;
}

export function base62DigitValue(charCode: number): number {
  return charCode < 128 ? DIGIT_VALUES[charCode] : -1;
}

export function encodeBase62(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 62 ** width) {
    throw new RangeError(`${value} does not fit in ${width} base62 digits`);
  }
  let digits = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    digits = BASE62_ALPHABET[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  }
  return digits;
}

// Returns -1 if any character is not a base62 digit.
export function decodeBase62(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = base62DigitValue(text.charCodeAt(i));
    if (digit < 0) return -1;
    value = value * 62 + digit;
  }
  return value;
}
