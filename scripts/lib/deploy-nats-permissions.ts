import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { natsPasswordVariable, renderNatsAuthorization } from '@keyward/messaging';

/** deploy/nats/permissions.conf as libs/messaging defines it; passwords from the environment. */
export function deployPermissionsConf(): string {
  return renderNatsAuthorization({
    password: (user) => ({ variable: natsPasswordVariable(user) }),
  });
}

const K8S_BLOCK_START = '  permissions.conf: |\n';

/** deploy/k8s/nats.yaml with its embedded copy of permissions.conf replaced by `conf`. */
export function k8sNatsYamlWith(yaml: string, conf: string): string {
  const start = yaml.indexOf(K8S_BLOCK_START);
  const end = yaml.indexOf('\n---', start);
  if (start < 0 || end < 0) throw new Error('deploy/k8s/nats.yaml: no permissions.conf block');
  const indented = conf
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n')
    .replace(/\n$/, '');
  return `${yaml.slice(0, start)}${K8S_BLOCK_START}${indented}${yaml.slice(end)}`;
}

export function deployFile(rootDir: string, path: string): string {
  return readFileSync(join(rootDir, 'deploy', path), 'utf8');
}
