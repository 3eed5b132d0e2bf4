import { DATA_CHECKS, METADATA_CHECK } from './compiled-checks';
import { EVENT_DATA_SCHEMAS, EVENT_METADATA_SCHEMA } from './event-schemas';
import type { KeywardEventType } from './keyward-event';

const owner = { kind: 'serviceAccount', id: 'sa_1' };
const grant = { resource: 'db:a', role: 'reader', permissions: ['read'] };

/** One valid stored object per event type. */
const VALID: Record<KeywardEventType, Record<string, unknown>> = {
  OrganizationCreated: { orgId: 'acme', name: 'Acme' },
  RoleDefined: { orgId: 'acme', name: 'reader', permissions: ['read'] },
  OrganizationPolicySet: {
    orgId: 'acme',
    maxActiveKeysPerPrincipal: 10,
    maxKeyLifetimeSeconds: null,
    allowedServiceAccountRoles: ['reader'],
    expiryNoticeSeconds: null,
  },
  MemberAdded: { orgId: 'acme', userId: 'u', displayName: 'U', orgRole: 'admin', grants: [grant] },
  MemberGrantsChanged: { orgId: 'acme', userId: 'u', orgRole: 'member', grants: [] },
  MemberRemoved: { orgId: 'acme', userId: 'u', reason: 'left' },
  ServiceAccountCreated: {
    orgId: 'acme',
    accountId: 'sa_1',
    name: 'ci',
    description: '',
    role: 'reader',
    permissions: ['read'],
    resources: ['db:a'],
    enableBasicAuth: false,
    createdBy: { kind: 'member', id: 'u' },
  },
  ServiceAccountUpdated: { orgId: 'acme', accountId: 'sa_1', name: 'ci2' },
  ServiceAccountDeleted: { orgId: 'acme', accountId: 'sa_1', reason: 'gone' },
  KeyIssued: {
    orgId: 'acme',
    keyId: 'key_1',
    owner,
    name: '',
    description: '',
    keyHash: 'ab',
    hint: 'kw_…ab',
    expiresAt: 1_800_000_000_000,
  },
  KeyRevoked: { orgId: 'acme', keyId: 'key_1', owner, reason: 'leaked' },
  KeyRotated: {
    orgId: 'acme',
    keyId: 'key_1',
    owner,
    successorKeyId: 'key_2',
    expiresAt: 1_800_000_000_000,
  },
  ServiceAccountNameReserved: { orgId: 'acme', name: 'ci', accountId: 'sa_1', reservedAt: 1 },
  ServiceAccountNameReleased: { orgId: 'acme', name: 'ci', accountId: 'sa_1' },
  WebhookEndpointRegistered: {
    orgId: 'acme',
    endpointId: 'whe_1',
    url: 'https://hooks.example.com/',
    description: '',
    eventTypes: ['key.*'],
    sealedSecret: 'v1.0a1b2c3d.iv.ct',
  },
  WebhookEndpointUpdated: { orgId: 'acme', endpointId: 'whe_1', eventTypes: null },
  WebhookEndpointDisabled: {
    orgId: 'acme',
    endpointId: 'whe_1',
    reason: 'failing',
    failingSince: '2026-12-03T00:00:00.000Z',
    lastError: 'HTTP 500',
  },
  WebhookEndpointEnabled: { orgId: 'acme', endpointId: 'whe_1' },
  WebhookEndpointDeleted: { orgId: 'acme', endpointId: 'whe_1' },
};

const METADATA = {
  eventId: 'e1',
  actor: { kind: 'operator' },
  orgId: 'acme',
  correlationId: 'c',
  causationId: 'c',
  source: { ip: null, userAgent: 'ua', channel: 'nats' },
  occurredAt: '2026-12-03T00:00:00.000Z',
  schemaVersion: 1,
  commandType: 'X',
  idempotencyKey: 'k',
  requestFingerprint: 'f',
};

const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  7,
  1.5,
  -1,
  'x',
  '',
  true,
  [],
  ['read'],
  {},
  owner,
];

/** The object itself, then for each field: each replacement value, and the field left out. */
function variants(valid: Record<string, unknown>): unknown[] {
  const out: unknown[] = [valid, null, 'x', [], {}, { ...valid, extra: 1 }];
  for (const field of Object.keys(valid)) {
    const { [field]: _dropped, ...without } = valid;
    out.push(without);
    for (const value of REPLACEMENTS) out.push({ ...valid, [field]: value });
  }
  return out;
}

describe('compiled checks', () => {
  it.each(Object.keys(VALID) as KeywardEventType[])(
    '%s: the compiled check and the zod schema agree on every variant',
    (type) => {
      let accepted = 0;
      for (const value of variants(VALID[type])) {
        const zod = EVENT_DATA_SCHEMAS[type].safeParse(value).success;
        expect({ value, compiled: DATA_CHECKS[type](value) }).toEqual({ value, compiled: zod });
        if (zod) accepted++;
      }
      // Both accepted the valid object and refused some variants: the test compares something.
      expect(accepted).toBeGreaterThan(0);
    },
  );

  it('the metadata: the compiled check and the zod schema agree, nested fields included', () => {
    const nested = [
      ...variants(METADATA.source).map((source) => ({ ...METADATA, source })),
      ...variants({ kind: 'member', id: 'u' }).map((actor) => ({ ...METADATA, actor })),
      { ...METADATA, actor: { kind: 'operator', id: 'ignored' } },
      { ...METADATA, actor: { kind: 'system' } },
      { ...METADATA, actor: { kind: 'robot' } },
      { ...METADATA, schemaVersion: 1.5 },
      { ...METADATA, schemaVersion: -1 },
    ];
    for (const value of [...variants(METADATA), ...nested]) {
      const zod = EVENT_METADATA_SCHEMA.safeParse(value).success;
      expect({ value, compiled: METADATA_CHECK(value) }).toEqual({ value, compiled: zod });
    }
  });
});
