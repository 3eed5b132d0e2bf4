import { BASE62_ALPHABET } from './base62';
import { randomBase62 } from './random-base62';

function bytesThenZeros(first: number[]): (count: number) => Uint8Array {
  const queue = [...first];
  return (count) => Uint8Array.from({ length: count }, () => queue.shift() ?? 0);
}

describe('randomBase62', () => {
  it('returns the requested number of base62 characters', () => {
    const value = randomBase62(40);
    expect(value).toHaveLength(40);
    expect([...value].every((char) => BASE62_ALPHABET.includes(char))).toBe(true);
  });

  it('rejects bytes of 248 and above instead of folding them onto the alphabet', () => {
    const source = bytesThenZeros([255, 248, 247, 61, 62, 249, 125]);
    expect(randomBase62(4, source)).toBe('zz01');
  });

  it('keeps drawing when a whole batch is rejected', () => {
    const source = bytesThenZeros(new Array<number>(50).fill(250));
    expect(randomBase62(3, source)).toBe('000');
  });

  it('uses every character about equally often', () => {
    const counts = new Map<string, number>();
    for (const char of randomBase62(62 * 2000)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 2000 each, σ ≈ 44; ±350 is ~8σ, so this never flakes but catches a real bias.
    for (const count of counts.values()) expect(Math.abs(count - 2000)).toBeLessThan(350);
  });
});
