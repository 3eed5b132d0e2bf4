import { UNIT_SECONDS, UNITS, type Unit } from './policy-units';

/**
 * A length of time as a whole amount and a unit (days, hours, minutes; seconds only when the
 * length is held in seconds), each with its own label; `maxSeconds` caps the amount in the
 * chosen unit.
 */
export function DurationFields({
  label,
  unitLabel,
  amount,
  unit,
  maxSeconds,
  onAmount,
  onUnit,
}: {
  label: string;
  unitLabel: string;
  amount: string;
  unit: Unit;
  maxSeconds?: number;
  onAmount: (amount: string) => void;
  onUnit: (unit: Unit) => void;
}) {
  const units = unit === 'seconds' ? [...UNITS, 'seconds' as Unit] : UNITS;
  return (
    <div class="lifetime-row">
      <label class="field">
        <span>{label}</span>
        <input
          type="number"
          inputMode="numeric"
          required
          min={1}
          max={maxSeconds === undefined ? undefined : Math.floor(maxSeconds / UNIT_SECONDS[unit])}
          step={1}
          value={amount}
          onInput={(event) => onAmount(event.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span>{unitLabel}</span>
        <select value={unit} onChange={(event) => onUnit(event.currentTarget.value as Unit)}>
          {units.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
