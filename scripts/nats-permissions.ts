import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deployFile, deployPermissionsConf, k8sNatsYamlWith } from './lib/deploy-nats-permissions';

/** `npm run nats:permissions`: rewrites deploy/'s NATS permissions from libs/messaging. */
const rootDir = resolve(__dirname, '../..');
const conf = deployPermissionsConf();
writeFileSync(join(rootDir, 'deploy/nats/permissions.conf'), conf);
writeFileSync(
  join(rootDir, 'deploy/k8s/nats.yaml'),
  k8sNatsYamlWith(deployFile(rootDir, 'k8s/nats.yaml'), conf),
);
console.log('wrote deploy/nats/permissions.conf and deploy/k8s/nats.yaml');
