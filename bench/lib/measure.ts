import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Measurement {
  name: string;
  operations: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs `operation(i)` `total` times with `concurrency` in flight; measures rate and latency. */
export async function measure(
  name: string,
  total: number,
  concurrency: number,
  operation: (index: number, worker: number) => Promise<unknown>,
): Promise<Measurement> {
  const latencies = new Float64Array(total);
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (id: number) => {
    for (let i = next++; i < total; i = next++) {
      const t0 = process.hrtime.bigint();
      await operation(i, id);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort();
  const at = (q: number) => latencies[Math.min(total - 1, Math.floor(q * total))];
  return {
    name,
    operations: total,
    concurrency,
    seconds,
    perSecond: total / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

export function printTable(rows: Measurement[]): void {
  console.table(
    rows.map((r) => ({
      name: r.name,
      ops: r.operations,
      inFlight: r.concurrency,
      'ops/s': Math.round(r.perSecond),
      'p50 ms': r.p50Ms.toFixed(2),
      'p99 ms': r.p99Ms.toFixed(2),
    })),
  );
}

/** Benchmarks write their results next to the code, under bench/results (git-ignored). */
export function writeResults(rootDir: string, bench: string, results: unknown): string {
  const dir = join(rootDir, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${bench}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
