import type { KeywardEventType } from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import {
  NOTIFICATION_TYPES,
  NOTIFY_SUBJECT_PREFIX,
  notifySubject,
  WEBHOOK_NOTIFICATION_TYPES,
} from '@keyward/messaging';
import { toNotification } from './notification-mapper';

const HASH = 'a'.repeat(64);
const owner = { kind: 'serviceAccount' as const, id: 'sa_0123456789abcdef0123456789abcdef' };
const keyId = 'key_0123456789abcdef0123456789abcdef';
const grants = [{ resource: '*', role: 'reader', permissions: ['read'] }];
const endpointId = 'whe_0123456789abcdef0123456789abcdef';
const SEALED = 'v1.0a1b2c3d.c2VhbGVkLWl2.c2VhbGVkLXNlY3JldC1ieXRlcw';
const url = 'https://hooks.example.com/keyward';

/** One event of every stored type, as the command service writes it. */
const EVENTS: { readonly [T in KeywardEventType]: Record<string, unknown> } = {
  OrganizationCreated: { orgId: 'acme', name: 'Acme' },
  RoleDefined: { orgId: 'acme', name: 'deployer', permissions: ['read', 'execute'] },
  OrganizationPolicySet: {
    orgId: 'acme',
    maxActiveKeysPerPrincipal: 5,
    maxKeyLifetimeSeconds: 86_400,
    allowedServiceAccountRoles: null,
  },
  MemberAdded: { orgId: 'acme', userId: 'dana', displayName: 'Dana', orgRole: 'member', grants },
  MemberGrantsChanged: { orgId: 'acme', userId: 'dana', orgRole: 'admin', grants: [] },
  MemberRemoved: { orgId: 'acme', userId: 'dana', reason: 'removed' },
  ServiceAccountCreated: {
    orgId: 'acme',
    accountId: owner.id,
    name: 'ci-bot',
    description: 'CI',
    role: 'reader',
    permissions: ['read'],
    resources: ['*'],
    enableBasicAuth: false,
    createdBy: { kind: 'member', id: 'dana' },
  },
  ServiceAccountUpdated: { orgId: 'acme', accountId: owner.id, name: 'ci-bot-2' },
  ServiceAccountDeleted: { orgId: 'acme', accountId: owner.id, reason: 'deleted' },
  ServiceAccountNameReserved: { orgId: 'acme', name: 'ci-bot', accountId: owner.id, reservedAt: 1 },
  ServiceAccountNameReleased: { orgId: 'acme', name: 'ci-bot', accountId: owner.id },
  KeyIssued: {
    orgId: 'acme',
    keyId,
    owner,
    name: 'deploy',
    description: '',
    keyHash: HASH,
    hint: 'kw_live_abcd…wxyz',
    expiresAt: Date.UTC(2030, 0, 1),
  },
  KeyRevoked: { orgId: 'acme', keyId, owner, reason: 'leaked' },
  KeyRotated: {
    orgId: 'acme',
    keyId,
    owner,
    successorKeyId: 'key_ffffffffffffffffffffffffffffffff',
    expiresAt: Date.UTC(2030, 0, 1),
  },
  WebhookEndpointRegistered: {
    orgId: 'acme',
    endpointId,
    url,
    description: 'deploys',
    eventTypes: ['key.*', 'member.added'],
    sealedSecret: SEALED,
  },
  WebhookEndpointUpdated: { orgId: 'acme', endpointId, eventTypes: null },
  WebhookEndpointDisabled: {
    orgId: 'acme',
    endpointId,
    reason: 'failing',
    failingSince: '2026-12-02T10:00:00.000Z',
    lastError: 'HTTP 503',
  },
  WebhookEndpointEnabled: { orgId: 'acme', endpointId },
  WebhookEndpointDeleted: { orgId: 'acme', endpointId },
};

let position = 100n;
function recorded(
  type: string,
  data: Record<string, unknown>,
  actor: Record<string, unknown> = { kind: 'member', id: 'dana' },
): RecordedEvent {
  position += 1n;
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type,
    data,
    metadata: {
      eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      actor,
      orgId: 'acme',
      occurredAt: '2026-12-03T10:00:00.000Z',
      schemaVersion: 1,
      source: { ip: '10.0.0.1', userAgent: 'curl', channel: 'http' },
    },
    streamName: 'serviceAccount-x',
    revision: 0n,
    position,
  };
}

describe('toNotification', () => {
  const all = Object.entries(EVENTS).map(([type, data]) => ({
    type,
    event: recorded(type, data),
  }));

  it('gives every lifecycle notification type from exactly one event type', () => {
    const types = all.map(({ event }) => toNotification(event)?.type).filter(Boolean);
    expect([...types].sort()).toEqual(
      [...NOTIFICATION_TYPES, ...WEBHOOK_NOTIFICATION_TYPES].sort(),
    );
  });

  it.each(Object.keys(EVENTS))(
    '%s: carries the event id, position, time, actor and org',
    (type) => {
      const event = recorded(type, EVENTS[type as KeywardEventType]);
      const notification = toNotification(event);
      if (type.startsWith('ServiceAccountName')) {
        expect(notification).toBeNull();
        return;
      }
      expect(notification).toMatchObject({
        eventId: event.id,
        orgId: 'acme',
        position: event.position.toString(),
        occurredAt: '2026-12-03T10:00:00.000Z',
        actor: { kind: 'member', id: 'dana' },
      });
      expect(notifySubject(notification!.orgId, notification!.type)).toBe(
        `${NOTIFY_SUBJECT_PREFIX}.acme.${notification!.type}`,
      );
    },
  );

  it('never carries a hash, a hint or a secret, in any notification', () => {
    for (const { event } of all) {
      const text = JSON.stringify(toNotification(event));
      expect(text).not.toContain(HASH);
      expect(text).not.toContain(SEALED.split('.')[3]);
      expect(text).not.toMatch(/keyHash|hint|secret|kw_live/i);
    }
  });

  it('maps each type to its target and data', () => {
    const of = (type: KeywardEventType) => toNotification(recorded(type, EVENTS[type]));
    expect(of('KeyIssued')).toMatchObject({
      type: 'key.issued',
      target: { kind: 'key', id: keyId },
      data: { owner, name: 'deploy', description: '', expiresAt: '2030-01-01T00:00:00.000Z' },
    });
    expect(Object.keys(of('KeyIssued')!.data).sort()).toEqual([
      'description',
      'expiresAt',
      'name',
      'owner',
    ]);
    expect(of('KeyRevoked')).toMatchObject({
      type: 'key.revoked',
      target: { kind: 'key', id: keyId },
      data: { owner, reason: 'leaked' },
    });
    expect(of('KeyRotated')!.data).toEqual({
      owner,
      successorKeyId: 'key_ffffffffffffffffffffffffffffffff',
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(of('ServiceAccountCreated')).toMatchObject({
      type: 'service_account.created',
      target: { kind: 'serviceAccount', id: owner.id },
      data: { name: 'ci-bot', role: 'reader', resources: ['*'] },
    });
    expect(of('ServiceAccountUpdated')!.data).toEqual({ name: 'ci-bot-2' });
    expect(of('ServiceAccountDeleted')!.data).toEqual({ reason: 'deleted' });
    expect(of('MemberAdded')).toMatchObject({
      type: 'member.added',
      target: { kind: 'member', id: 'dana' },
      data: { displayName: 'Dana', orgRole: 'member', grants },
    });
    expect(of('MemberGrantsChanged')!.data).toEqual({ orgRole: 'admin', grants: [] });
    expect(of('MemberRemoved')!.data).toEqual({ reason: 'removed' });
    expect(of('OrganizationPolicySet')).toMatchObject({
      type: 'organization.policy_set',
      target: { kind: 'organization', id: 'acme' },
    });
    // Stored as version 1: no notice of its own, the deployment default (null).
    expect(of('OrganizationPolicySet')!.data).toEqual({
      maxActiveKeysPerPrincipal: 5,
      maxKeyLifetimeSeconds: 86_400,
      allowedServiceAccountRoles: null,
      expiryNoticeSeconds: null,
    });
    const v2 = recorded('OrganizationPolicySet', {
      ...EVENTS.OrganizationPolicySet,
      expiryNoticeSeconds: 172_800,
    });
    const metadata = { ...Object(v2.metadata), schemaVersion: 2 };
    expect(toNotification({ ...v2, metadata })!.data).toMatchObject({
      expiryNoticeSeconds: 172_800,
    });
    expect(of('RoleDefined')).toMatchObject({
      type: 'organization.role_defined',
      target: { kind: 'role', id: 'deployer' },
      data: { name: 'deployer', permissions: ['read', 'execute'] },
    });
  });

  it('maps the webhook endpoint events, without the sealed secret', () => {
    const of = (type: KeywardEventType) => toNotification(recorded(type, EVENTS[type]));
    const target = { kind: 'webhookEndpoint', id: endpointId };
    expect(of('WebhookEndpointRegistered')).toMatchObject({
      type: 'webhook.endpoint_registered',
      target,
    });
    expect(of('WebhookEndpointRegistered')!.data).toEqual({
      url,
      description: 'deploys',
      eventTypes: ['key.*', 'member.added'],
    });
    expect(of('WebhookEndpointUpdated')!.data).toEqual({ eventTypes: null });
    expect(
      toNotification(
        recorded('WebhookEndpointUpdated', { orgId: 'acme', endpointId, url, description: '' }),
      )!.data,
    ).toEqual({ url, description: '' });
    expect(of('WebhookEndpointDisabled')).toMatchObject({
      type: 'webhook.endpoint_disabled',
      target,
      data: { reason: 'failing', failingSince: '2026-12-02T10:00:00.000Z', lastError: 'HTTP 503' },
    });
    expect(
      toNotification(
        recorded('WebhookEndpointDisabled', { orgId: 'acme', endpointId, reason: 'manual' }),
      )!.data,
    ).toEqual({ reason: 'manual' });
    expect(of('WebhookEndpointEnabled')).toMatchObject({
      type: 'webhook.endpoint_enabled',
      target,
      data: {},
    });
    expect(of('WebhookEndpointDeleted')).toMatchObject({
      type: 'webhook.endpoint_deleted',
      target,
      data: {},
    });
  });

  it('names the operator, leak reports and Keyward itself (system) without an id', () => {
    const by = (actor: Record<string, unknown>) =>
      toNotification(recorded('OrganizationCreated', EVENTS.OrganizationCreated, actor))?.actor;
    expect(by({ kind: 'operator' })).toEqual({ kind: 'operator', id: null });
    expect(by({ kind: 'leakReport' })).toEqual({ kind: 'leakReport', id: null });
    expect(by({ kind: 'system' })).toEqual({ kind: 'system', id: null });
  });

  it('skips a type it does not know (a newer writer)', () => {
    expect(toNotification(recorded('KeyTeleported', { orgId: 'acme' }))).toBeNull();
  });
});
