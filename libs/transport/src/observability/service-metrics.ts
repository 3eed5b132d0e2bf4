import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** The version of the running code: the nearest package.json above this file (dist or src). */
const VERSION = packageVersion(__dirname);

function packageVersion(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        version?: string;
      };
      return pkg.version ?? 'unknown';
    } catch {
      if (dirname(dir) === dir) return 'unknown';
    }
  }
}

/** Injection token of the app's prom-client `Registry`, served at `/metrics`. */
export const METRICS = Symbol('METRICS');

/**
 * The registry of one service, with Node's process metrics (CPU, memory, event-loop lag, GC,
 * open handles) under their standard `process_` / `nodejs_` names so stock dashboards work, and
 * `keyward_service_info{service, version}`. Which service a series came from is the scrape's
 * `job` (deploy/prometheus), so no label is added to every series.
 */
export function createServiceRegistry(service: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'keyward_service_info',
    help: 'Always 1: which Keyward service and version this process is',
    labelNames: ['service', 'version'] as const,
    registers: [registry],
  }).set({ service, version: VERSION }, 1);
  return registry;
}

/** Makes the registry injectable everywhere in the app (`@Inject(METRICS)`). */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(registry: Registry): DynamicModule {
    return {
      module: MetricsModule,
      providers: [{ provide: METRICS, useValue: registry }],
      exports: [METRICS],
    };
  }
}

export interface ReadOnScrapeOptions {
  name: string;
  help: string;
  registry: Registry;
  /** The value now; null leaves the last one (e.g. a lookup that failed). */
  read: () => number | null | Promise<number | null>;
}

/** A gauge whose value is read from the service at each scrape, not kept up to date. */
export function gaugeReadOnScrape({ name, help, registry, read }: ReadOnScrapeOptions): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      const value = await read();
      if (value !== null) this.set(value);
    },
  });
}
