import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';

/* Loose shapes of what the deploy test reads: only the fields it checks. */
export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  expose?: (string | number)[];
  ports?: (string | { target: number })[];
  healthcheck?: { test?: string[] };
  profiles?: string[];
  volumes?: (string | { source?: string; target?: string })[];
  depends_on?: Record<string, unknown> | string[];
}
export interface Compose {
  services: Record<string, ComposeService>;
}

export interface K8sContainer {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: { cpu?: string; memory?: string } };
}
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: Record<string, string> & { matchLabels?: Record<string, string> };
    ports?: { name?: string; port: number; targetPort?: string | number }[];
    template?: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: { containers: K8sContainer[] };
    };
  };
}

export const REPO = join(__dirname, '..', '..');
export const DEPLOY = join(REPO, 'deploy');
export const read = (path: string) => readFileSync(join(DEPLOY, path), 'utf8');

export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const composeArgs = [
  '--env-file',
  join(DEPLOY, 'compose.env.example'),
  '-f',
  join(DEPLOY, 'compose.yaml'),
];

/** The resolved compose model: docker-compose's own when installed, else the YAML with its merges. */
export function loadCompose(): { compose: Compose; resolvedBy: string } {
  if (hasBinary('docker-compose')) {
    const resolved = execFileSync('docker-compose', [...composeArgs, 'config'], {
      encoding: 'utf8',
    });
    return { compose: load(resolved) as Compose, resolvedBy: 'docker-compose config' };
  }
  const env = Object.fromEntries(
    read('compose.env.example')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  // Compose's own interpolation, for the forms the file uses: ${VAR}, ${VAR:-default}, ${VAR:?error}.
  const interpolated = read('compose.yaml').replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_match, name: string, kind?: string, rest?: string) => env[name] ?? (kind === '-' ? rest : ''),
  );
  return { compose: load(interpolated) as Compose, resolvedBy: 'js-yaml' };
}

export function loadManifests(): K8sObject[] {
  const kustomization = load(read('k8s/kustomization.yaml')) as { resources: string[] };
  return kustomization.resources.flatMap(
    (file) => loadAll(read(join('k8s', file))).filter(Boolean) as K8sObject[],
  );
}

/** `EXPOSE 8080 9000` lines of the Dockerfile. */
export function dockerfileExposedPorts(): number[] {
  return read('docker/Dockerfile')
    .split('\n')
    .filter((line) => line.startsWith('EXPOSE '))
    .flatMap((line) => line.slice('EXPOSE '.length).trim().split(/\s+/).map(Number));
}
