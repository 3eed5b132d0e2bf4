import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_NATS_STREAMS,
  NATS_USERS,
  natsPasswordVariable,
  type NatsUser,
} from '@keyward/messaging';
import { deployPermissionsConf, k8sNatsYamlWith } from '../../scripts/lib/deploy-nats-permissions';
import {
  composeArgs,
  dockerfileExposedPorts,
  hasBinary,
  loadCompose,
  loadManifests,
  read,
  REPO,
  type ComposeService,
  type K8sObject,
} from './deploy-files';

const KEYWARD_APPS = ['command', 'projector', 'auth-verifier', 'gateway', 'notifier'];
const REPLICAS: Record<string, number> = {
  command: 2,
  projector: 2,
  'auth-verifier': 3,
  gateway: 2,
  notifier: 1,
};
const SERVICE_USERS: readonly string[] = [
  'command',
  'projector',
  'verifier',
  'gateway',
  'notifier',
];
const exposed = dockerfileExposedPorts();
const appOf = (image = '') => /^keyward\/([a-z-]+):/.exec(image)?.[1];

describe('deploy/compose.yaml', () => {
  const { compose, resolvedBy } = loadCompose();
  const services = Object.entries(compose.services);
  const keyward = services.filter(([, service]) => appOf(service.image));

  it('is valid for docker-compose (or, without it, parses)', () => {
    if (hasBinary('docker-compose')) {
      execFileSync('docker-compose', [...composeArgs, 'config', '-q'], { stdio: 'pipe' });
    } else {
      console.info('docker-compose is not installed: checked the YAML with js-yaml only');
    }
    expect(resolvedBy).toMatch(/docker-compose|js-yaml/);
  });

  it('runs a 3-node NATS cluster of nats-server >= 2.12.3 and EventStoreDB', () => {
    const nats = services.filter(([, service]) => service.image?.startsWith('nats:'));
    expect(nats.map(([name]) => name).sort()).toEqual(['nats-1', 'nats-2', 'nats-3']);
    for (const [name, service] of nats) {
      expect(versionAtLeast(service.image as string, [2, 12, 3])).toBe(true);
      expect(service.environment?.NATS_SERVER_NAME).toBe(name);
      const routes = ['NATS_ROUTE_1', 'NATS_ROUTE_2', 'NATS_ROUTE_3'].map(
        (key) => service.environment?.[key],
      );
      expect(routes).toEqual(nats.map(([node]) => `nats-route://${node}:6222`));
    }
    expect(compose.services.eventstoredb.image).toMatch(/^eventstore\/eventstore:\d/);
  });

  it('runs 2 command, 2 projector, 3 verifier, 2 gateway replicas and 1 notifier', () => {
    const counts: Record<string, number> = {};
    for (const [, service] of keyward) {
      const app = appOf(service.image) as string;
      counts[app] = (counts[app] ?? 0) + 1;
    }
    expect(counts).toEqual(REPLICAS);
  });

  it.each(KEYWARD_APPS)('builds %s from the one Dockerfile with its APP', (app) => {
    for (const [, service] of keyward.filter(([, s]) => appOf(s.image) === app)) {
      expect(service.build?.dockerfile).toBe('deploy/docker/Dockerfile');
      expect(service.build?.args?.APP).toBe(app);
      if (existsSync(join(REPO, 'apps', app))) {
        expect(existsSync(join(REPO, 'apps', app, 'src', 'main.ts'))).toBe(true);
      }
    }
  });

  it('gives every service its NATS user, the stores, a health check and exposed ports only', () => {
    const natsEnv = compose.services['nats-1'].environment ?? {};
    for (const [name, service] of keyward) {
      const env = service.environment ?? {};
      expect({ name, user: SERVICE_USERS.includes(env.NATS_USER) }).toEqual({ name, user: true });
      expect(env.NATS_PASSWORD).toBe(natsEnv[natsPasswordVariable(env.NATS_USER as NatsUser)]);
      expect(env.NATS_URL.split(',')).toEqual([
        'nats://nats-1:4222',
        'nats://nats-2:4222',
        'nats://nats-3:4222',
      ]);
      expect(env.EVENT_STORE_URL).toBe('esdb://eventstoredb:2113?tls=false');
      expect(service.healthcheck?.test?.join(' ')).toContain('/readyz');
      expect(containerPorts(service).every((port) => exposed.includes(port))).toBe(true);
    }
  });
});

describe('deploy/docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile');

  it('builds in one stage and runs the chosen app from dist in another', () => {
    expect(dockerfile).toMatch(/^FROM .+ AS build$/m);
    expect(dockerfile).toMatch(/^FROM .+ AS runtime$/m);
    expect(dockerfile).toMatch(/^ARG APP$/m);
    expect(dockerfile).toContain('node dist/apps/${APP}/src/main.js');
    expect(exposed).toEqual([8080, 9000]);
  });
});

describe('deploy/nats', () => {
  const config = read('nats/nats-server.conf');
  const permissions = read('nats/permissions.conf');

  it('fsyncs JetStream on every write', () => {
    expect(config).toMatch(/^\s*sync_interval:\s*always\s*$/m);
  });

  it('is what libs/messaging generates (`npm run nats:permissions`), here and in k8s', () => {
    expect(permissions).toBe(deployPermissionsConf());
    expect(read('k8s/nats.yaml')).toBe(k8sNatsYamlWith(read('k8s/nats.yaml'), permissions));
  });

  it('has one user per service and caller, each with a password from the environment', () => {
    const users = [...permissions.matchAll(/^\s*user:\s*(\S+)\s*$/gm)].map((match) => match[1]);
    expect(users).toEqual([...NATS_USERS]);
    for (const user of NATS_USERS) {
      expect(permissions).toContain(`password: $${natsPasswordVariable(user)}`);
    }
  });

  it("grants only Keyward's own subjects, as libs/messaging spells them", () => {
    const known = messagingSubjects();
    const granted = [...permissions.matchAll(/"(kw\.[^"]+)"/g)].map((match) => match[1]);
    const unknown = granted.filter((subject) => {
      const stem = subject.replace(/\.>$/, '');
      return !known.some((name) => name === stem || name.startsWith(`${stem}.`));
    });
    expect(unknown).toEqual([]);
  });

  it('is accepted by nats-server -t when one is installed', () => {
    if (!hasBinary('nats-server')) {
      console.info('nats-server is not installed: skipped `nats-server -t`');
      return;
    }
    const version = execFileSync('nats-server', ['--version'], { encoding: 'utf8' });
    const dir = mkdtempSync(join(tmpdir(), 'keyward-nats-conf-'));
    try {
      // Servers before 2.10 do not know sync_interval; check the rest of the file with them.
      const modern = versionAtLeast(version, [2, 10, 0]);
      const checked = modern ? config : config.replace(/^\s*sync_interval:.*$/m, '');
      writeFileSync(join(dir, 'nats-server.conf'), checked);
      writeFileSync(join(dir, 'permissions.conf'), permissions);
      const env = {
        ...process.env,
        NATS_SERVER_NAME: 'n1',
        ...Object.fromEntries(
          [1, 2, 3].map((n) => [`NATS_ROUTE_${n}`, `nats-route://10.0.0.${n}:6222`]),
        ),
        ...Object.fromEntries(NATS_USERS.map((user) => [natsPasswordVariable(user), 'x'])),
      };
      const check = spawnSync('nats-server', ['-c', join(dir, 'nats-server.conf'), '-t'], {
        env,
        encoding: 'utf8',
      });
      expect(`${check.stdout}${check.stderr}`).toContain('is valid');
      expect(check.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/k8s', () => {
  const objects = loadManifests();
  const { compose } = loadCompose();
  const composeImages = new Set(Object.values(compose.services).map((service) => service.image));
  const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  const deployments = objects.filter((o) => o.kind === 'Deployment');

  it('parses into namespaced objects', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects.filter((o) => o.kind !== 'Namespace')) {
      expect(`${object.kind}/${object.metadata.name}:${object.metadata.namespace}`).toMatch(
        /:keyward$/,
      );
    }
  });

  it('deploys every service with its replica count and the images compose builds', () => {
    const byApp = Object.fromEntries(
      deployments.map((d) => [appOf(d.spec?.template?.spec.containers[0].image), d.spec?.replicas]),
    );
    expect(byApp).toEqual(REPLICAS);
    for (const container of containersOf(workloads)) {
      if (appOf(container.image)) expect(composeImages).toContain(container.image);
    }
  });

  it('runs NATS and EventStoreDB as 3-node StatefulSets, NATS with the deploy/nats files', () => {
    const sets = objects.filter((o) => o.kind === 'StatefulSet');
    expect(sets.map((s) => [s.metadata.name, s.spec?.replicas])).toEqual([
      ['nats', 3],
      ['eventstoredb', 3],
    ]);
    const natsConfig = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === 'nats-config',
    );
    expect(natsConfig?.data).toEqual({
      'nats-server.conf': read('nats/nats-server.conf'),
      'permissions.conf': read('nats/permissions.conf'),
    });
  });

  it.each(KEYWARD_APPS)('probes %s on /readyz and /healthz and requests resources', (app) => {
    const deployment = deployments.find(
      (d) => appOf(d.spec?.template?.spec.containers[0].image) === app,
    ) as K8sObject;
    for (const container of containersOf([deployment])) {
      const portNames = (container.ports ?? []).map((port) => port.name);
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(portNames).toContain(container.readinessProbe?.httpGet?.port);
      expect(portNames).toContain(container.livenessProbe?.httpGet?.port);
      expect(container.resources?.requests).toEqual({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      const ports = (container.ports ?? []).map((port) => port.containerPort);
      expect(ports.every((port) => exposed.includes(port))).toBe(true);
    }
  });

  it('gives every workload probes and resource requests', () => {
    for (const container of containersOf(workloads)) {
      expect(container.readinessProbe).toBeDefined();
      expect(container.livenessProbe).toBeDefined();
      expect(container.resources?.requests?.cpu).toBeDefined();
      expect(container.resources?.requests?.memory).toBeDefined();
    }
  });

  it('references only ConfigMaps it defines and the one Secret the README names', () => {
    const configMaps = objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name);
    for (const container of containersOf(workloads)) {
      for (const source of container.envFrom ?? []) {
        expect(configMaps).toContain(source.configMapRef?.name);
      }
      for (const variable of container.env ?? []) {
        const secret = variable.valueFrom?.secretKeyRef;
        if (secret) expect(secret.name).toBe('keyward-secrets');
      }
    }
  });

  it('points every Service at pods and container ports that exist', () => {
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const selector = service.spec?.selector ?? {};
      const targets = workloads.filter((w) =>
        Object.entries(selector).every(([k, v]) => w.spec?.template?.metadata.labels[k] === v),
      );
      expect({ service: service.metadata.name, targets: targets.length > 0 }).toEqual({
        service: service.metadata.name,
        targets: true,
      });
      const portNames = containersOf(targets).flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const port of service.spec?.ports ?? []) {
        expect(portNames).toContain(port.targetPort);
      }
    }
  });
});

function containersOf(workloads: K8sObject[]) {
  return workloads.flatMap((workload) => workload.spec?.template?.spec.containers ?? []);
}

function containerPorts(service: ComposeService): number[] {
  const published = (service.ports ?? []).map((port) =>
    typeof port === 'string' ? Number(port.split(':').pop()) : port.target,
  );
  return [...(service.expose ?? []).map(Number), ...published];
}

function versionAtLeast(text: string, minimum: number[]): boolean {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) return false;
  const version = match.slice(1).map(Number);
  for (let i = 0; i < 3; i++) {
    if (version[i] !== minimum[i]) return version[i] > minimum[i];
  }
  return true;
}

/** Every `'kw.…'` literal in libs/messaging, plus the JetStream event subjects' default prefix. */
function messagingSubjects(): string[] {
  const dir = join(REPO, 'libs', 'messaging', 'src');
  const sources = readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join(dir, file), 'utf8'));
  const literals = sources.flatMap((source) =>
    [...source.matchAll(/'(kw\.[a-z.-]+)'/g)].map((match) => match[1]),
  );
  return [...literals, DEFAULT_NATS_STREAMS.eventSubjectPrefix];
}
