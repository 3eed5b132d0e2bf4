import { Histogram, Registry } from 'prom-client';
import { REQUEST_DURATION_BUCKETS } from './metrics';
import { RequestDurations } from './request-durations';

const NAME = 'test_request_duration_seconds';
const HELP = 'requests by method, route and status';

/** The same observations into prom-client's Histogram and into RequestDurations. */
function bothWith(observations: [string, string, number, number][]) {
  const theirs = new Registry();
  const histogram = new Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [...REQUEST_DURATION_BUCKETS],
    registers: [theirs],
  });
  const ours = new Registry();
  const durations = new RequestDurations(NAME, HELP, REQUEST_DURATION_BUCKETS);
  ours.registerMetric(durations.asMetric());
  for (const [method, route, status, seconds] of observations) {
    histogram.observe({ method, route, status: String(status) }, seconds);
    durations.seriesOf(method, route, status).observe(seconds);
  }
  return { theirs, ours, durations };
}

describe('RequestDurations', () => {
  it('is written out exactly as prom-client writes a Histogram of the same observations', async () => {
    const observations: [string, string, number, number][] = [
      ['GET', '/api/auth/v1/forward', 200, 0.00002],
      ['GET', '/api/auth/v1/forward', 200, 0.001], // on a bucket's bound: counted in it
      ['GET', '/api/auth/v1/forward', 200, 0.0010001],
      ['GET', '/api/auth/v1/forward', 401, 0.003],
      ['PUT', '/api/auth/v1/forward/*', 200, 0.2],
      ['POST', '/api/service-account/v1/service-account', 201, 12], // above every bucket
      ['POST', '/api/service-account/v1/service-account', 201, 10],
      ['GET', '(unmatched)', 404, 0],
      ['GET', 'a "quoted" \\ route\nline', 500, 0.04], // label values that must be escaped
    ];
    const { theirs, ours } = bothWith(observations);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain(
      `${NAME}_bucket{le="0.001",method="GET",route="/api/auth/v1/forward",status="200"} 2`,
    );
    expect(text).toContain(
      `${NAME}_count{method="POST",route="/api/service-account/v1/service-account",status="201"} 2`,
    );
  });

  it('keeps one series per label set, which a hot path may hold', () => {
    const { durations } = bothWith([]);
    const series = durations.seriesOf('GET', '/r', 200);
    expect(durations.seriesOf('GET', '/r', 200)).toBe(series);
    expect(durations.seriesOf('GET', '/r', 201)).not.toBe(series);
    expect(durations.seriesOf('HEAD', '/r', 200)).not.toBe(series);
    series.observe(0.002);
    expect([series.count, series.sum]).toEqual([1, 0.002]);
  });

  it('resets to zero without dropping the series a hot path holds', async () => {
    const { ours, durations } = bothWith([['GET', '/r', 200, 0.002]]);
    const held = durations.seriesOf('GET', '/r', 200);
    ours.resetMetrics();
    expect(await ours.metrics()).toContain(`${NAME}_count{method="GET",route="/r",status="200"} 0`);
    held.observe(0.5);
    const text = await ours.metrics();
    expect(text).toContain(`${NAME}_count{method="GET",route="/r",status="200"} 1`);
    expect(text).toContain(`${NAME}_bucket{le="0.25",method="GET",route="/r",status="200"} 0`);
    expect(text).toContain(`${NAME}_bucket{le="0.5",method="GET",route="/r",status="200"} 1`);
  });
});
