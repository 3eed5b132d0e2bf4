import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { DEPLOY, loadCompose, loadManifests, read, type K8sObject } from './deploy-files';

/**
 * deploy/monitoring: the Prometheus scrape configurations (compose and Kubernetes) reach every
 * Keyward service's /metrics, and the dashboard is wired to them. That every metric the
 * dashboard queries exists is checked against live services in test/observability.e2e-spec.ts.
 */
interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
  relabel_configs?: { target_label?: string; replacement?: string; source_labels?: string[] }[];
}
const scrapeConfigs = (file: string) =>
  (load(read(join('monitoring', file))) as { scrape_configs: ScrapeConfig[] }).scrape_configs;
const appOf = (image = '') => /^keyward\/([a-z-]+):/.exec(image)?.[1];

describe('deploy/monitoring', () => {
  it('compose: Prometheus scrapes every Keyward container on the port that serves /metrics, as job keyward-<app>', () => {
    const { compose } = loadCompose();
    const expected: Record<string, string[]> = {};
    for (const [name, service] of Object.entries(compose.services)) {
      const app = appOf(service.image);
      if (!app) continue;
      // The gateway serves /metrics on its API port; the others on HEALTH_PORT.
      const port = app === 'gateway' ? service.environment?.PORT : service.environment?.HEALTH_PORT;
      (expected[`keyward-${app}`] ??= []).push(`${name}:${port}`);
    }
    const scraped = Object.fromEntries(
      scrapeConfigs('prometheus-compose.yml').map((job) => [
        job.job_name,
        (job.static_configs ?? []).flatMap((c) => c.targets).sort(),
      ]),
    );
    for (const targets of Object.values(expected)) targets.sort();
    expect(scraped).toEqual(expected);
  });

  it('compose: the monitoring profile mounts the scrape config, the datasource and the dashboard', () => {
    const text = read('compose.yaml');
    for (const file of [
      './monitoring/prometheus-compose.yml',
      './monitoring/grafana/datasources.yaml',
      './monitoring/grafana/dashboards.yaml',
      './monitoring/keyward-dashboard.json',
    ]) {
      expect(text).toContain(`${file}:`);
      expect(existsSync(join(DEPLOY, file))).toBe(true);
    }
    expect(text).toMatch(/prometheus:\n\s+image: prom\/prometheus:v\d/);
    expect(text).toMatch(/grafana:\n\s+image: grafana\/grafana:\d/);
  });

  it('kubernetes: every Keyward pod is annotated for scraping on the port its readiness probe uses', () => {
    const deployments = loadManifests().filter(
      (object): object is K8sObject =>
        object.kind === 'Deployment' || object.kind === 'StatefulSet',
    );
    const keyward = deployments.filter((d) => appOf(d.spec?.template?.spec.containers[0].image));
    expect(keyward.map((d) => d.metadata.name).sort()).toEqual([
      'auth-verifier',
      'command',
      'gateway',
      'notifier',
      'projector',
    ]);
    for (const deployment of keyward) {
      const template = deployment.spec!.template!;
      const container = template.spec.containers[0];
      const probePort = container.readinessProbe?.httpGet?.port;
      const port = container.ports?.find(
        (p) => p.name === probePort || p.containerPort === probePort,
      );
      expect({
        name: deployment.metadata.name,
        annotations: template.metadata.annotations,
      }).toEqual({
        name: deployment.metadata.name,
        annotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(port?.containerPort),
          'prometheus.io/path': '/metrics',
        },
      });
    }
  });

  it('kubernetes: the scrape config keeps annotated pods of namespace keyward and names jobs keyward-<app>', () => {
    const [job] = scrapeConfigs('prometheus-kubernetes.yml');
    const text = read('monitoring/prometheus-kubernetes.yml');
    expect(text).toContain('names: [keyward]');
    expect(text).toContain('__meta_kubernetes_pod_annotation_prometheus_io_scrape');
    const jobLabel = job.relabel_configs?.find((r) => r.target_label === 'job');
    expect(jobLabel).toMatchObject({
      source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
      replacement: 'keyward-$1',
    });
    const kustomization = load(read('monitoring/kustomization.yaml')) as {
      configMapGenerator: { name: string; files: string[]; options?: { labels?: object } }[];
    };
    for (const generator of kustomization.configMapGenerator) {
      for (const entry of generator.files) {
        expect(existsSync(join(DEPLOY, 'monitoring', entry.split('=').pop()!))).toBe(true);
      }
    }
    expect(kustomization.configMapGenerator).toContainEqual(
      expect.objectContaining({
        name: 'keyward-grafana-dashboard',
        options: { labels: { grafana_dashboard: '1' } },
      }),
    );
  });

  it('the dashboard: every panel on the Prometheus datasource variable, jobs as the scrape configs name them', () => {
    const dashboard = JSON.parse(read('monitoring/keyward-dashboard.json')) as {
      uid: string;
      templating: { list: { name: string; type: string }[] };
      panels: { type: string; datasource?: { uid: string }; targets?: { expr: string }[] }[];
    };
    expect(dashboard.uid).toBe('keyward-overview');
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource' }),
    );
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(12);
    for (const panel of panels) {
      expect(panel.datasource?.uid).toBe('${datasource}');
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
    const jobs = panels
      .flatMap((panel) => panel.targets ?? [])
      .flatMap(({ expr }) =>
        [...expr.matchAll(/job=~"([^"]+)"/g)].map((m) => new RegExp(`^${m[1]}$`)),
      );
    for (const job of jobs) expect(job.test('keyward-command')).toBe(true);
  });
});
