import { plural } from '../format';

/** Lengths of time on the policy page: a lifetime, the warning before an expiry. */
export type Unit = 'days' | 'hours' | 'minutes' | 'seconds';

export const UNIT_SECONDS: Record<Unit, number> = {
  days: 86_400,
  hours: 3_600,
  minutes: 60,
  seconds: 1,
};

/** Days and hours first; minutes reach the API's one-minute floor; seconds only when needed. */
export const UNITS: Unit[] = ['days', 'hours', 'minutes'];

/** A length in the largest unit that states it exactly. */
export function inUnits(seconds: number): { amount: number; unit: Unit } {
  const unit = (['days', 'hours', 'minutes', 'seconds'] as Unit[]).find(
    (u) => seconds % UNIT_SECONDS[u] === 0,
  )!;
  return { amount: seconds / UNIT_SECONDS[unit], unit };
}

/** "7 days", "90 minutes". */
export function durationText(seconds: number): string {
  const { amount, unit } = inUnits(seconds);
  return plural(amount, unit.slice(0, -1));
}
