/** The API speaks epoch seconds (seed 003); the domain speaks epoch milliseconds. */
export function toEpochSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}
