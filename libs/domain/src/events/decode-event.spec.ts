import { CorruptEventError, decodeEvent } from './decode-event';
import { EVENT_DATA_SCHEMAS } from './event-schemas';

const owner = { kind: 'serviceAccount', id: 'sa_1' };
const keyIssuedV1 = {
  orgId: 'acme',
  keyId: 'key_1',
  owner,
  name: 'ci',
  description: 'deploys',
  keyHash: 'ab'.repeat(32),
  hint: 'kw_live_…abcd',
  expiresAt: null,
};
const metadata = {
  eventId: 'e1',
  actor: { kind: 'member', id: 'root' },
  orgId: 'acme',
  correlationId: 'c1',
  causationId: 'c1',
  source: { ip: '127.0.0.1', userAgent: null, channel: 'http' },
  occurredAt: '2026-12-03T00:00:00.000Z',
  schemaVersion: 1,
  commandType: 'IssueServiceAccountKey',
};

describe('decodeEvent', () => {
  it('reads a current event as its domain type, with its metadata', () => {
    const decoded = decodeEvent({ type: 'KeyIssued', data: keyIssuedV1, metadata });
    expect(decoded).toEqual({
      known: true,
      event: { type: 'KeyIssued', data: keyIssuedV1 },
      metadata,
    });
  });

  it('accepts fields a newer writer added (kept as stored; this code reads only its own)', () => {
    const decoded = decodeEvent({
      type: 'KeyRevoked',
      data: { orgId: 'acme', keyId: 'key_1', owner, reason: 'manual', revokedFrom: 'console' },
      metadata: {},
    });
    expect(decoded).toEqual({
      known: true,
      event: {
        type: 'KeyRevoked',
        data: { orgId: 'acme', keyId: 'key_1', owner, reason: 'manual', revokedFrom: 'console' },
      },
      metadata: {},
    });
  });

  it('upcasts a version-0 KeyIssued (no name, description or expiry) to the current shape', () => {
    const { name: _n, description: _d, expiresAt: _e, ...v0 } = keyIssuedV1;
    const decoded = decodeEvent({
      type: 'KeyIssued',
      data: v0,
      metadata: { ...metadata, schemaVersion: 0 },
    });
    expect(decoded).toMatchObject({
      known: true,
      event: { type: 'KeyIssued', data: { ...v0, name: '', description: '', expiresAt: null } },
    });
    // The same data stamped as the current version is corrupt: the upcaster is what reads it.
    expect(() => decodeEvent({ type: 'KeyIssued', data: v0, metadata })).toThrow(CorruptEventError);
  });

  it('upcasts a version-1 name reservation: reservedAt from when it was recorded', () => {
    const reservation = { orgId: 'acme', name: 'ci', accountId: 'sa_1' };
    const decoded = decodeEvent({
      type: 'ServiceAccountNameReserved',
      data: reservation,
      metadata: { ...metadata, schemaVersion: 1 },
    });
    expect(decoded).toMatchObject({
      known: true,
      event: {
        type: 'ServiceAccountNameReserved',
        data: { ...reservation, reservedAt: 1_796_256_000_000 }, // metadata.occurredAt
      },
    });
    // Written now (version 2), the time is in the data and required there.
    expect(() =>
      decodeEvent({
        type: 'ServiceAccountNameReserved',
        data: reservation,
        metadata: { ...metadata, schemaVersion: 2 },
      }),
    ).toThrow('data.reservedAt');
  });

  it('upcasts a version-1 policy: no expiry notice of its own (the deployment default)', () => {
    const policyV1 = {
      orgId: 'acme',
      maxActiveKeysPerPrincipal: 5,
      maxKeyLifetimeSeconds: 86_400,
      allowedServiceAccountRoles: null,
    };
    const decoded = decodeEvent({
      type: 'OrganizationPolicySet',
      data: policyV1,
      metadata: { ...metadata, schemaVersion: 1, commandType: 'SetOrganizationPolicy' },
    });
    expect(decoded).toMatchObject({
      known: true,
      event: { type: 'OrganizationPolicySet', data: { ...policyV1, expiryNoticeSeconds: null } },
    });
    // Version 2 carries the field, and keeps its value; without it, it is corrupt.
    const v2 = { ...metadata, schemaVersion: 2 };
    expect(
      decodeEvent({
        type: 'OrganizationPolicySet',
        data: { ...policyV1, expiryNoticeSeconds: 0 },
        metadata: v2,
      }),
    ).toMatchObject({ event: { data: { expiryNoticeSeconds: 0 } } });
    expect(() =>
      decodeEvent({ type: 'OrganizationPolicySet', data: policyV1, metadata: v2 }),
    ).toThrow('data.expiryNoticeSeconds');
  });

  it('answers known: false for a type this code does not know, without reading it', () => {
    expect(decodeEvent({ type: 'WebhookEndpointAdded', data: null, metadata: null })).toEqual({
      known: false,
      type: 'WebhookEndpointAdded',
    });
    expect(decodeEvent({ type: 'toString', data: {}, metadata: {} })).toEqual({
      known: false,
      type: 'toString',
    });
  });

  it('throws CorruptEventError, naming the field, for a known type that does not fit', () => {
    const bad = [
      { data: { ...keyIssuedV1, keyHash: 7 }, metadata, field: 'data.keyHash' },
      {
        data: { ...keyIssuedV1, owner: { kind: 'robot', id: 'x' } },
        metadata,
        field: 'data.owner.kind',
      },
      { data: null, metadata, field: 'data' },
      { data: keyIssuedV1, metadata: { ...metadata, actor: 'root' }, field: 'metadata.actor' },
      { data: keyIssuedV1, metadata: { ...metadata, schemaVersion: 2 }, field: 'schemaVersion 2' },
    ];
    for (const { data, metadata: meta, field } of bad) {
      expect(() => decodeEvent({ type: 'KeyIssued', data, metadata: meta })).toThrow(field);
    }
  });

  it('has a schema for every event type (each checked at compile time against its type)', () => {
    expect(Object.keys(EVENT_DATA_SCHEMAS).sort()).toEqual(
      [
        'KeyIssued',
        'KeyRevoked',
        'KeyRotated',
        'MemberAdded',
        'MemberGrantsChanged',
        'MemberRemoved',
        'OrganizationCreated',
        'OrganizationPolicySet',
        'RoleDefined',
        'ServiceAccountCreated',
        'ServiceAccountDeleted',
        'ServiceAccountNameReleased',
        'ServiceAccountNameReserved',
        'ServiceAccountUpdated',
        'WebhookEndpointDeleted',
        'WebhookEndpointDisabled',
        'WebhookEndpointEnabled',
        'WebhookEndpointRegistered',
        'WebhookEndpointUpdated',
      ].sort(),
    );
  });
});
