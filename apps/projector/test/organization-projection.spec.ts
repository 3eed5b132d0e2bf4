import type { OrganizationPolicySet } from '@keyward/domain';
import { given, itReplaysIdempotently, type SpecEvent } from './projection-spec';

type OrganizationPolicyData = OrganizationPolicySet['data'];

const created: SpecEvent = {
  type: 'OrganizationCreated',
  data: { orgId: 'acme', name: 'Acme' },
  metadata: { actor: { kind: 'operator' } },
};

const scenarios = {
  OrganizationCreated: given().when(created),
  OrganizationPolicySet: given(created).when({
    type: 'OrganizationPolicySet',
    data: {
      orgId: 'acme',
      maxActiveKeysPerPrincipal: 5,
      maxKeyLifetimeSeconds: 86_400,
      allowedServiceAccountRoles: ['reader', 'deployer'],
      expiryNoticeSeconds: 172_800,
    },
  }),
  'OrganizationPolicySet (no limits)': given(created).when({
    type: 'OrganizationPolicySet',
    data: {
      orgId: 'acme',
      maxActiveKeysPerPrincipal: 10,
      maxKeyLifetimeSeconds: null,
      allowedServiceAccountRoles: null,
      expiryNoticeSeconds: null,
    },
  }),
  // Stored before the expiry notice existed (version 1): read as the deployment default.
  'OrganizationPolicySet (version 1)': given(created).when({
    type: 'OrganizationPolicySet',
    data: {
      orgId: 'acme',
      maxActiveKeysPerPrincipal: 7,
      maxKeyLifetimeSeconds: null,
      allowedServiceAccountRoles: null,
    } as unknown as OrganizationPolicyData,
    metadata: { schemaVersion: 1 },
  }),
  RoleDefined: given(created).when({
    type: 'RoleDefined',
    data: { orgId: 'acme', name: 'deployer', permissions: ['read', 'execute'] },
  }),
};

describe('organization projection', () => {
  it('OrganizationCreated: a row with no policy yet, and an entry by the operator', () => {
    scenarios.OrganizationCreated.then(({ rows, when, audit }) => {
      expect(rows('SELECT * FROM organizations')).toEqual([
        {
          org_id: 'acme',
          name: 'Acme',
          created_at: when.at,
          max_active_keys: null,
          max_key_lifetime_s: null,
          allowed_sa_roles: null,
          expiry_notice_s: null,
        },
      ]);
      expect(audit()).toEqual({
        seq: when.position,
        org_id: 'acme',
        at: when.at,
        action: 'organization.created',
        event_type: 'OrganizationCreated',
        actor_kind: 'operator',
        actor_id: null,
        actor_name: 'operator',
        target_kind: 'organization',
        target_id: 'acme',
        target_name: 'Acme',
        owner_kind: null,
        owner_id: null,
        source_ip: '203.0.113.7',
        user_agent: 'keyward-cli/1.0',
        channel: 'http',
        correlation_id: when.correlationId,
        causation_id: when.causationId,
        event_id: when.eventId,
        details: { name: 'Acme' },
      });
    });
  });

  it('OrganizationPolicySet: sets the limits and the expiry notice on the organization', () => {
    scenarios.OrganizationPolicySet.then(({ row, audit }) => {
      expect(
        row(
          `SELECT name, max_active_keys, max_key_lifetime_s, allowed_sa_roles, expiry_notice_s
             FROM organizations`,
        ),
      ).toEqual({
        name: 'Acme',
        max_active_keys: 5,
        max_key_lifetime_s: 86_400,
        allowed_sa_roles: '["reader","deployer"]',
        expiry_notice_s: 172_800,
      });
      expect(audit()).toMatchObject({
        action: 'organization.policy_set',
        actor_kind: 'member',
        actor_id: 'admin',
        target_kind: 'organization',
        target_id: 'acme',
        details: {
          maxActiveKeysPerPrincipal: 5,
          maxKeyLifetimeSeconds: 86_400,
          allowedServiceAccountRoles: ['reader', 'deployer'],
          expiryNoticeSeconds: 172_800,
        },
      });
    });
  });

  it('OrganizationPolicySet: null lifetime, roles and notice stay SQL NULL (no limit, every role, the default)', () => {
    scenarios['OrganizationPolicySet (no limits)'].then(({ row }) => {
      expect(
        row(
          `SELECT max_active_keys, max_key_lifetime_s, allowed_sa_roles, expiry_notice_s
             FROM organizations`,
        ),
      ).toEqual({
        max_active_keys: 10,
        max_key_lifetime_s: null,
        allowed_sa_roles: null,
        expiry_notice_s: null,
      });
    });
  });

  it('OrganizationPolicySet version 1: no notice of its own, in the row and the audit entry', () => {
    scenarios['OrganizationPolicySet (version 1)'].then(({ row, audit }) => {
      expect(row(`SELECT max_active_keys, expiry_notice_s FROM organizations`)).toEqual({
        max_active_keys: 7,
        expiry_notice_s: null,
      });
      expect(audit().details).toEqual({
        maxActiveKeysPerPrincipal: 7,
        maxKeyLifetimeSeconds: null,
        allowedServiceAccountRoles: null,
        expiryNoticeSeconds: null,
      });
    });
  });

  it('RoleDefined: a role row with its permissions', () => {
    scenarios.RoleDefined.then(({ rows, when, audit }) => {
      expect(rows('SELECT * FROM roles')).toEqual([
        {
          org_id: 'acme',
          name: 'deployer',
          permissions: '["read","execute"]',
          defined_at: when.at,
        },
      ]);
      expect(audit()).toMatchObject({
        action: 'organization.role_defined',
        target_kind: 'role',
        target_id: 'deployer',
        target_name: 'deployer',
        details: { name: 'deployer', permissions: ['read', 'execute'] },
      });
    });
  });

  itReplaysIdempotently(scenarios);
});
