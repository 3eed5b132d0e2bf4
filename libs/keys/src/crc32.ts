// CRC-32/ISO-HDLC (zlib, PNG, GitHub tokens). Node 20 has no zlib.crc32, and the table is 1 KiB.
const POLYNOMIAL = 0xedb88320;
const TABLE: Int32Array = buildTable();

function buildTable(): Int32Array {
  const table = new Int32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    }
    table[byte] = crc;
  }
  return table;
}

// The running state is exposed so the key parser can check its charset in the same pass.
export const CRC32_INITIAL = -1;

export function crc32Step(state: number, byte: number): number {
  return TABLE[(state ^ byte) & 0xff] ^ (state >>> 8);
}

export function crc32Final(state: number): number {
  return (state ^ -1) >>> 0;
}

// Reads char codes directly so the verifier never allocates a Buffer per key. Only meaningful
// for ASCII text (each char is then one byte); callers check the charset first.
export function crc32(text: string, end: number = text.length): number {
  let state = CRC32_INITIAL;
  for (let i = 0; i < end; i++) state = crc32Step(state, text.charCodeAt(i));
  return crc32Final(state);
}
