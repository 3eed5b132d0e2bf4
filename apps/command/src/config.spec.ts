import { randomBytes } from 'node:crypto';
import { ConfigError } from '@keyward/transport';
import { loadConfig } from './config';

describe('command service configuration: webhooks', () => {
  it('defaults: no secret key (registering answers 503) and no allowed networks', () => {
    expect(loadConfig({}).webhook).toEqual({ secretKey: null, policy: { allowedNetworks: [] } });
  });

  it('reads the key (base64 or base64url) and the allowed networks', () => {
    const key = randomBytes(32).toString('base64url');
    const { webhook } = loadConfig({
      KEYWARD_WEBHOOK_SECRET_KEY: key,
      KEYWARD_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8, ::1/128',
    });
    expect(webhook).toEqual({
      secretKey: key,
      policy: { allowedNetworks: ['127.0.0.0/8', '::1/128'] },
    });
  });

  it('refuses a key that is not 32 bytes, without printing it', () => {
    const short = randomBytes(16).toString('base64');
    const load = () => loadConfig({ KEYWARD_WEBHOOK_SECRET_KEY: short });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/KEYWARD_WEBHOOK_SECRET_KEY must be 32 bytes .*got 16 bytes/);
    try {
      load();
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('refuses a network that is not a CIDR, naming it', () => {
    expect(() => loadConfig({ KEYWARD_WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8,intranet' })).toThrow(
      /KEYWARD_WEBHOOK_ALLOWED_NETWORKS: "intranet" is not a CIDR/,
    );
  });
});
