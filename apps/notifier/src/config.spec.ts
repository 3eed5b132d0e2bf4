import { ConfigError } from '@keyward/transport';
import { loadConfig } from './config';

const KEY = Buffer.alloc(32, 7).toString('base64url');

describe('notifier configuration: webhooks', () => {
  it('has the documented defaults; no key, no operator token, no allowed networks', () => {
    expect(loadConfig({}).webhooks).toEqual({
      secretKey: null,
      policy: { allowedNetworks: [] },
      retryBaseMs: 5_000,
      retryMaxMs: 3_600_000,
      retryForSeconds: 86_400,
      disableAfterSeconds: 86_400,
      timeoutMs: 10_000,
      concurrency: 32,
      logRetentionDays: 7,
    });
    expect(loadConfig({}).operatorToken).toBeNull();
  });

  it('reads every variable', () => {
    const config = loadConfig({
      KEYWARD_WEBHOOK_SECRET_KEY: KEY,
      KEYWARD_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8, ::1/128',
      KEYWARD_WEBHOOK_RETRY_BASE_MS: '100',
      KEYWARD_WEBHOOK_RETRY_MAX_MS: '400',
      KEYWARD_WEBHOOK_RETRY_FOR_SECONDS: '3',
      KEYWARD_WEBHOOK_DISABLE_AFTER_SECONDS: '2',
      KEYWARD_WEBHOOK_TIMEOUT_MS: '500',
      KEYWARD_WEBHOOK_CONCURRENCY: '4',
      KEYWARD_WEBHOOK_LOG_RETENTION_DAYS: '1',
      KEYWARD_OPERATOR_TOKEN: 'op',
    });
    expect(config.webhooks).toMatchObject({
      secretKey: KEY,
      policy: { allowedNetworks: ['127.0.0.0/8', '::1/128'] },
      retryBaseMs: 100,
      retryMaxMs: 400,
      retryForSeconds: 3,
      disableAfterSeconds: 2,
      timeoutMs: 500,
      concurrency: 4,
      logRetentionDays: 1,
    });
    expect(config.operatorToken).toBe('op');
  });

  it.each([
    ['KEYWARD_WEBHOOK_SECRET_KEY', 'c2hvcnQ=', /KEYWARD_WEBHOOK_SECRET_KEY must be 32 bytes/],
    ['KEYWARD_WEBHOOK_ALLOWED_NETWORKS', '10.0.0.0/33', /KEYWARD_WEBHOOK_ALLOWED_NETWORKS must be/],
    ['KEYWARD_WEBHOOK_CONCURRENCY', '0', /KEYWARD_WEBHOOK_CONCURRENCY must be a whole number/],
    ['KEYWARD_WEBHOOK_TIMEOUT_MS', '10s', /KEYWARD_WEBHOOK_TIMEOUT_MS must be a whole number/],
  ])('refuses a bad %s before anything starts', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('never prints a refused secret key', () => {
    const value = 'c2VjcmV0LXNlY3JldC1zZWNyZXQ=';
    expect(() => loadConfig({ KEYWARD_WEBHOOK_SECRET_KEY: value })).toThrow(
      /KEYWARD_WEBHOOK_SECRET_KEY must be 32 bytes .*; got 28 characters \(not shown\)$/,
    );
    expect(() => loadConfig({ KEYWARD_WEBHOOK_SECRET_KEY: value })).not.toThrow(value);
  });
});
