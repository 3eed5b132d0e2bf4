import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { KeyView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { UsageChart, UsageLegend, type UsageSeries } from '../components/usage-chart';
import { useLoad } from '../components/use-load';
import { api } from '../session';

interface UsageReply {
  days: number[];
  keys: UsageSeries[];
}

/**
 * Per key, uses and refused attempts per day from the verifiers' usage rollups (published
 * about once a minute), on one scale: rotating a key shows traffic moving to its successor.
 */
export function AccountUsage({ id, keys }: { id: string; keys: KeyView[] }) {
  const [days, setDays] = useState(14);
  const usage = useLoad(
    () => api.get<UsageReply>(PATHS.accountUsage(id), { days }),
    [id, days, keys.length],
  );
  const series = usage.data?.keys ?? [];
  const scale = Math.max(0, ...series.flatMap((s) => [...s.uses, ...s.refused]));
  return (
    <section aria-labelledby="usage-title">
      <div class="page-head">
        <h2 id="usage-title">Usage per day</h2>
        <label class="field inline">
          <span>Period</span>
          <select value={days} onChange={(event) => setDays(Number(event.currentTarget.value))}>
            <option value={7}>7 days</option>
            <option value={14}>14 days</option>
            <option value={30}>30 days</option>
            <option value={90}>90 days</option>
          </select>
        </label>
      </div>
      <ErrorNote error={usage.error} />
      {usage.data && series.length === 0 ? <p class="empty">No keys, so no usage.</p> : null}
      {series.length > 0 ? (
        <>
          <UsageLegend />
          <p class="hint">Counted by the verifiers and added about once a minute; days are UTC.</p>
          <div class="charts">
            {series.map((s) => (
              <UsageChart key={s.keyId} days={usage.data!.days} series={s} scale={scale} />
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
