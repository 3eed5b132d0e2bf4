import type { WebhookEndpointView } from '@keyward/messaging';
import { EXIT } from '../exit-codes';
import { endpointStatus, eventTypesOf } from './webhooks';

describe('webhook event filter as typed', () => {
  it('takes comma-separated types and wildcards, trimmed, order kept', () => {
    expect(eventTypesOf('key.revoked,key.*')).toEqual(['key.revoked', 'key.*']);
    expect(eventTypesOf(' key.revoked , service_account.* ,')).toEqual([
      'key.revoked',
      'service_account.*',
    ]);
  });

  it('reads "all" as every type (null)', () => {
    expect(eventTypesOf('all')).toBeNull();
    expect(eventTypesOf(' all ')).toBeNull();
  });

  it('refuses an empty list as a usage error', () => {
    for (const bad of ['', ',', ' , ']) {
      expect(() => eventTypesOf(bad)).toThrow(expect.objectContaining({ exitCode: EXIT.usage }));
    }
  });
});

describe('webhook endpoint status as shown', () => {
  const endpoint = (
    status: WebhookEndpointView['status'],
    disabledReason: WebhookEndpointView['disabledReason'],
  ) => ({ status, disabledReason }) as WebhookEndpointView;

  it('makes an endpoint Keyward disabled as failing stand out from one disabled by hand', () => {
    expect(endpointStatus(endpoint('enabled', null))).toBe('enabled');
    expect(endpointStatus(endpoint('disabled', 'manual'))).toBe('disabled');
    expect(endpointStatus(endpoint('disabled', 'failing'))).toBe('DISABLED (failing)');
  });
});
