import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * Each service, started as a real process with bad configuration, stops before it connects or
 * listens: one line on stderr naming every bad variable, what it accepts and what it got, and
 * exit code 78 (EX_CONFIG). NATS_URL points at a port nothing listens on, so a service that
 * tried to connect first would retry forever instead of exiting (issue 11, item 4).
 */
const rootDir = resolve(__dirname, '..');
const MAIN = {
  'keyward-command': 'dist/apps/command/src/main.js',
  'keyward-auth-verifier': 'dist/apps/auth-verifier/src/main.js',
  'keyward-projector': 'dist/apps/projector/src/main.js',
  'keyward-gateway': 'dist/apps/gateway/src/main.js',
} as const;
type Service = keyof typeof MAIN;

function start(service: Service, env: NodeJS.ProcessEnv) {
  const child = spawnSync(process.execPath, [join(rootDir, MAIN[service])], {
    env: { PATH: process.env.PATH, NATS_URL: 'nats://127.0.0.1:1', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: child.status, stderr: child.stderr, stdout: child.stdout };
}

const KEY_ENV = `KEYWARD_KEY_ENV must be 2–8 lowercase letters (the key's kw_<env>_ part); got "LIVE"`;
const STALENESS = 'VERIFIER_MAX_STALENESS_MS must be a whole number from 100 to 600000; got "2s"';

describe('a service with bad configuration stops at start, with one line and exit code 78', () => {
  it.each<[Service, NodeJS.ProcessEnv, string]>([
    ['keyward-command', { KEYWARD_KEY_ENV: 'LIVE' }, KEY_ENV],
    // The staleness bound is one definition, read the same way by the command service (which
    // waits for verifiers) and by every verifier node: neither accepts "2s".
    ['keyward-command', { VERIFIER_MAX_STALENESS_MS: '2s' }, STALENESS],
    ['keyward-auth-verifier', { VERIFIER_MAX_STALENESS_MS: '2s' }, STALENESS],
    ['keyward-gateway', { VERIFIER_MAX_STALENESS_MS: '2s' }, STALENESS],
    [
      'keyward-projector',
      { HEALTH_PORT: 'abc' },
      'HEALTH_PORT must be a whole number from 0 to 65535; got "abc"',
    ],
    [
      'keyward-projector',
      { KEYWARD_PROJECTOR_BATCH_SIZE: '0' },
      'KEYWARD_PROJECTOR_BATCH_SIZE must be a whole number from 1 to 100000; got "0"',
    ],
    [
      'keyward-gateway',
      { LOG_LEVEL: 'verbose' },
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"',
    ],
    [
      'keyward-auth-verifier',
      { NATS_URL: 'nats://a:4222 b:4222' },
      'NATS_URL must be NATS server URLs separated by commas (nats://host:4222,…); got "nats://a:4222 b:4222"',
    ],
  ])('%s with %j', (service, env, problem) => {
    const { status, stderr, stdout } = start(service, env);
    expect({ status, stderr, stdout }).toEqual({
      status: 78,
      stderr: `${service}: ${problem}\n`,
      stdout: '',
    });
  });

  it('names every bad variable at once', () => {
    const { status, stderr } = start('keyward-gateway', {
      PORT: '99999',
      KEYWARD_GATEWAY_TIMEOUT_MS: '10s',
    });
    expect(status).toBe(78);
    expect(stderr).toBe(
      'keyward-gateway: PORT must be a whole number from 0 to 65535; got "99999"; ' +
        'KEYWARD_GATEWAY_TIMEOUT_MS must be a whole number from 100 to 120000; got "10s"\n',
    );
  });
});
