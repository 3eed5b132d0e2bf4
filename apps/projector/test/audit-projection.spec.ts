import {
  ORG_CREATED as org,
  given,
  itReplaysIdempotently,
  type SpecEvent,
} from './projection-spec';

const account: SpecEvent = {
  type: 'ServiceAccountCreated',
  data: {
    orgId: 'acme',
    accountId: 'sa_ops',
    name: 'Ops Bot',
    description: '',
    role: 'admin',
    permissions: ['admin'],
    resources: ['*'],
    enableBasicAuth: false,
    createdBy: { kind: 'member', id: 'admin' },
  },
};
const renamed: SpecEvent = {
  type: 'ServiceAccountUpdated',
  data: { orgId: 'acme', accountId: 'sa_ops', name: 'Platform Bot' },
};
const byOps = { actor: { kind: 'serviceAccount', id: 'sa_ops' } } as const;
const source = { ip: '198.51.100.4', userAgent: null, channel: 'nats' } as const;

const scenarios = {
  'by a service account': given(org, account).when({
    type: 'RoleDefined',
    data: { orgId: 'acme', name: 'auditor', permissions: ['read'] },
    metadata: { ...byOps, source, correlationId: 'req-7', causationId: 'req-7' },
  }),
  'by a renamed service account': given(org, account, renamed).when({
    type: 'MemberAdded',
    data: { orgId: 'acme', userId: 'eve', displayName: 'Eve', orgRole: 'member', grants: [] },
    metadata: byOps,
  }),
};

describe('audit entries', () => {
  it('an event by a service account: the actor appears as itself, with its name', () => {
    scenarios['by a service account'].then(({ audit, when }) => {
      expect(audit()).toEqual({
        seq: when.position,
        org_id: 'acme',
        at: when.at,
        action: 'organization.role_defined',
        event_type: 'RoleDefined',
        actor_kind: 'serviceAccount',
        actor_id: 'sa_ops',
        actor_name: 'Ops Bot',
        target_kind: 'role',
        target_id: 'auditor',
        target_name: 'auditor',
        owner_kind: null,
        owner_id: null,
        source_ip: '198.51.100.4',
        user_agent: null,
        channel: 'nats',
        correlation_id: 'req-7',
        causation_id: 'req-7',
        event_id: when.eventId,
        details: { name: 'auditor', permissions: ['read'] },
      });
    });
  });

  it('names are as of each event: earlier entries keep the old name, later ones the new', () => {
    scenarios['by a renamed service account'].then(({ rows, audit }) => {
      expect(audit()).toMatchObject({ actor_kind: 'serviceAccount', actor_name: 'Platform Bot' });
      expect(
        rows(`SELECT action, target_name FROM audit_log WHERE target_id = 'sa_ops' ORDER BY seq`),
      ).toEqual([
        { action: 'service_account.created', target_name: 'Ops Bot' },
        { action: 'service_account.updated', target_name: 'Platform Bot' },
      ]);
    });
  });

  itReplaysIdempotently(scenarios);
});
