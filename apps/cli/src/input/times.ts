/**
 * A time as typed on the command line, as the API's epoch seconds: epoch seconds themselves or
 * an ISO time (`2027-01-31T00:00:00Z`); undefined when it is neither (the caller names the option).
 */
export function epochSecondsOf(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000);
}
