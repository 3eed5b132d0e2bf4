/**
 * A time as typed on the command line, as the API's epoch seconds: epoch seconds themselves or
 * an ISO time (`2027-01-31T00:00:00Z`); undefined when it is neither (the caller names the option).
 */
export function epochSecondsOf(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000);
}

/**
 * A length of time as typed on the command line, in seconds: seconds themselves (`3600`) or a
 * duration (`30s`, `90m`, `24h`, `7d`); undefined when it is neither (the caller names the
 * option).
 */
export function durationSecondsOf(text: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
