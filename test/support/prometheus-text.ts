/** One sample of a Prometheus text exposition: `name{label="value",…} 12.5`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text format prom-client writes (comments skipped); throws on a line it cannot read. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(LABEL)) labels[name] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The metric family a sample belongs to: a histogram's `_bucket`, `_sum`, `_count` folded in. */
export function familyOf(sampleName: string): string {
  return sampleName.replace(/_(bucket|sum|count)$/, '');
}

/** Sum of the samples named `name` whose labels include `labels`. */
export function total(
  samples: Sample[],
  name: string,
  labels: Record<string, string | RegExp> = {},
): number {
  return samples
    .filter((sample) => sample.name === name)
    .filter((sample) =>
      Object.entries(labels).every(([key, want]) => {
        const got = sample.labels[key];
        return got !== undefined && (typeof want === 'string' ? got === want : want.test(got));
      }),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Whether any sample is named `name`. */
export function has(samples: Sample[], name: string): boolean {
  return samples.some((sample) => sample.name === name);
}
