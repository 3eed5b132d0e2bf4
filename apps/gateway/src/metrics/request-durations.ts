import type { Metric, MetricValueWithName } from 'prom-client';

/** The labels of a request's duration: method, route pattern (never the raw URL) and status. */
export type DurationLabels = Record<'method' | 'route' | 'status', string>;

/**
 * The durations of one label set. Counts are per bucket (`counts[i]`: above bucket `i - 1` and at
 * most bucket `i`), made cumulative only when scraped; an observation above every bucket counts
 * in `count` alone (Prometheus's `+Inf`).
 */
export class DurationSeries {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<DurationLabels>,
    private readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }

  observe(seconds: number): void {
    const { buckets } = this;
    let bucket = 0;
    while (bucket < buckets.length && seconds > buckets[bucket]) bucket++;
    if (bucket < buckets.length) this.counts[bucket]++;
    this.sum += seconds;
    this.count++;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

/**
 * The gateway's request-duration histogram, written out by prom-client's registry exactly as a
 * prom-client `Histogram` would be (a spec compares the two texts), but with label sets resolved
 * once: `seriesOf` returns the series of a label set, which a hot path can keep and observe into
 * for the cost of a bucket search. prom-client's own `observe` validates and hashes the labels
 * object on every call, about 0.9 µs — as much as verifying the key on forward-auth's fast path.
 */
export class RequestDurations {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, DurationSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  /** The series of a label set, made on first use. */
  seriesOf(method: string, route: string, status: number): DurationSeries {
    const id = `${method} ${status} ${route}`;
    let series = this.series.get(id);
    if (series === undefined) {
      series = new DurationSeries({ method, route, status: String(status) }, this.buckets);
      this.series.set(id, series);
    }
    return series;
  }

  /** prom-client's metric interface: what the registry writes out on a scrape. */
  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: MetricValueWithName<string>[];
  }> {
    const values: MetricValueWithName<string>[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const series of this.series.values()) {
      let below = 0;
      this.buckets.forEach((le, bucket) => {
        below += series.counts[bucket];
        values.push({ metricName: bucketName, labels: { le, ...series.labels }, value: below });
      });
      values.push(
        { metricName: bucketName, labels: { le: '+Inf', ...series.labels }, value: series.count },
        { metricName: `${this.name}_sum`, labels: { ...series.labels }, value: series.sum },
        { metricName: `${this.name}_count`, labels: { ...series.labels }, value: series.count },
      );
    }
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, aggregator, values });
  }

  /** Zeroes every series (kept: hot paths hold them). */
  reset(): void {
    for (const series of this.series.values()) series.reset();
  }

  /**
   * As prom-client's registry takes it: its `Metric` type names its four classes, while the
   * registry itself needs only `name`, `get` and `reset`.
   */
  asMetric(): Metric {
    return this as unknown as Metric;
  }
}
