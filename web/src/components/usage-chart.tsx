import { count } from '../format';

export interface UsageSeries {
  keyId: string;
  name: string;
  hint: string;
  status: string;
  uses: number[];
  refused: number[];
}

interface ChartProps {
  /** Epoch seconds of each UTC day, oldest first. */
  days: number[];
  series: UsageSeries;
  /** The highest daily count across every chart shown together, so their bars compare. */
  scale: number;
}

const WIDTH = 280;
const HEIGHT = 64;
const GAP = 2;

const dayLabel = (seconds: number) =>
  new Date(seconds * 1000).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

/**
 * Uses (accepted) and refused attempts per day for one key, as paired bars on one scale shared
 * by the key's siblings, so rotating a key shows its traffic moving to the successor. Drawn as
 * SVG attributes (no inline style, allowed by the CSP); the numbers are in a table beside it.
 */
export function UsageChart({ days, series, scale }: ChartProps) {
  const slot = WIDTH / Math.max(1, days.length);
  const bar = Math.max(1, (slot - GAP) / 2);
  const height = (n: number) => (scale > 0 ? Math.round((n / scale) * (HEIGHT - 2)) : 0);
  const totalUses = series.uses.reduce((a, b) => a + b, 0);
  const totalRefused = series.refused.reduce((a, b) => a + b, 0);
  const summary =
    `${series.name}: ${count(totalUses)} uses and ${count(totalRefused)} refused attempts ` +
    `over ${days.length} days` +
    (days.length ? `, ${dayLabel(days[0])} to ${dayLabel(days[days.length - 1])}` : '');
  return (
    <figure class="usage">
      <figcaption>
        <span class="usage-name">{series.name}</span> <code>{series.hint}</code>{' '}
        <span class="muted">
          {count(totalUses)} uses · {count(totalRefused)} refused
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="none"
      >
        <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} class="axis" />
        {days.map((day, i) => (
          <g key={day}>
            <rect
              class="bar-uses"
              x={i * slot}
              y={HEIGHT - height(series.uses[i] ?? 0)}
              width={bar}
              height={height(series.uses[i] ?? 0)}
            >
              <title>{`${dayLabel(day)}: ${count(series.uses[i] ?? 0)} uses`}</title>
            </rect>
            <rect
              class="bar-refused"
              x={i * slot + bar}
              y={HEIGHT - height(series.refused[i] ?? 0)}
              width={bar}
              height={height(series.refused[i] ?? 0)}
            >
              <title>{`${dayLabel(day)}: ${count(series.refused[i] ?? 0)} refused`}</title>
            </rect>
          </g>
        ))}
      </svg>
      <details class="usage-numbers">
        <summary>Numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col">Uses</th>
              <th scope="col">Refused</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day, i) => (
              <tr key={day}>
                <td>{dayLabel(day)}</td>
                <td>{count(series.uses[i] ?? 0)}</td>
                <td>{count(series.refused[i] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function UsageLegend() {
  return (
    <p class="legend" aria-hidden="true">
      <span class="swatch bar-uses" /> uses <span class="swatch bar-refused" /> refused attempts
    </p>
  );
}
