// Jest globalSetup of the integration and e2e projects. Plain CommonJS because Jest loads it
// before any transform; keep the binary lookup in step with find-nats-server-binary.ts.
const { execFileSync } = require('node:child_process');
const { accessSync, constants } = require('node:fs');
const path = require('node:path');

const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin'];

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findNatsServer() {
  if (process.env.NATS_SERVER_BIN && isExecutable(process.env.NATS_SERVER_BIN)) {
    return process.env.NATS_SERVER_BIN;
  }
  const dirs = [...(process.env.PATH || '').split(path.delimiter), ...EXTRA_DIRS];
  return dirs
    .filter(Boolean)
    .map((dir) => path.join(dir, 'nats-server'))
    .find(isExecutable);
}

function findAptGet() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return undefined;
  return EXTRA_DIRS.map((dir) => path.join(dir, 'apt-get')).find(isExecutable);
}

function installWithApt(aptGet) {
  console.log('\nkeyward: nats-server not found, installing Debian package nats-server');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync(aptGet, ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync(aptGet, ['install', '-y', '-qq', '--no-install-recommends', 'nats-server'], {
    stdio: 'inherit',
    env,
  });
}

module.exports = async function ensureNatsServer() {
  if (findNatsServer()) return;
  const aptGet = findAptGet();
  if (!aptGet) {
    throw new Error(
      'keyward: nats-server is needed by the integration tests and was not found on PATH nor in ' +
        '/usr/sbin. Install it (Debian: apt-get install nats-server), set NATS_SERVER_BIN, or run ' +
        'the tests as root so they can install it.',
    );
  }
  installWithApt(aptGet);
  if (!findNatsServer())
    throw new Error('keyward: apt-get installed nats-server but it is not found');
};
