import {
  ORG_CREATED as org,
  ADMIN_ADDED as admin,
  given,
  itReplaysIdempotently,
  type SpecEvent,
} from './projection-spec';

const created: SpecEvent = {
  type: 'ServiceAccountCreated',
  data: {
    orgId: 'acme',
    accountId: 'sa_1',
    name: 'CI Bot',
    description: 'builds',
    role: 'deployer',
    permissions: ['read', 'execute'],
    resources: ['repo:web', 'repo:api'],
    enableBasicAuth: true,
    createdBy: { kind: 'member', id: 'admin' },
  },
};

const scenarios = {
  ServiceAccountCreated: given(org, admin).when(created),
  ServiceAccountUpdated: given(org, admin, created).when({
    type: 'ServiceAccountUpdated',
    data: { orgId: 'acme', accountId: 'sa_1', name: 'Release Bot', description: 'ships' },
  }),
  'ServiceAccountUpdated (description only)': given(org, admin, created).when({
    type: 'ServiceAccountUpdated',
    data: { orgId: 'acme', accountId: 'sa_1', description: 'builds and tests' },
  }),
  'ServiceAccountUpdated (non-ASCII name)': given(org, admin, created).when({
    type: 'ServiceAccountUpdated',
    data: { orgId: 'acme', accountId: 'sa_1', name: 'ÄRGER Bot' },
  }),
  ServiceAccountDeleted: given(org, admin, created).when({
    type: 'ServiceAccountDeleted',
    data: { orgId: 'acme', accountId: 'sa_1', reason: 'deleted' },
  }),
};

describe('service account projection', () => {
  it('ServiceAccountCreated: an active account, its creator from the data', () => {
    scenarios.ServiceAccountCreated.then(({ rows, when, audit }) => {
      expect(rows('SELECT * FROM service_accounts')).toEqual([
        {
          account_id: 'sa_1',
          org_id: 'acme',
          name: 'CI Bot',
          name_lower: 'ci bot',
          description: 'builds',
          role: 'deployer',
          permissions: '["read","execute"]',
          resources: '["repo:web","repo:api"]',
          enable_basic_auth: 1,
          status: 'active',
          created_at: when.at,
          created_by_kind: 'member',
          created_by_id: 'admin',
          updated_at: when.at,
          deleted_at: null,
        },
      ]);
      expect(audit()).toMatchObject({
        action: 'service_account.created',
        actor_name: 'Ada Admin',
        target_kind: 'serviceAccount',
        target_id: 'sa_1',
        target_name: 'CI Bot',
      });
    });
  });

  it('ServiceAccountUpdated: the new name (and its lower case) and description', () => {
    scenarios.ServiceAccountUpdated.then(({ row, when, audit }) => {
      expect(
        row(`SELECT name, name_lower, description, role, created_at, updated_at
             FROM service_accounts`),
      ).toEqual({
        name: 'Release Bot',
        name_lower: 'release bot',
        description: 'ships',
        role: 'deployer',
        created_at: when.at - 1000,
        updated_at: when.at,
      });
      expect(audit()).toMatchObject({
        action: 'service_account.updated',
        target_id: 'sa_1',
        target_name: 'Release Bot',
        details: { accountId: 'sa_1', name: 'Release Bot', description: 'ships' },
      });
    });
  });

  it('ServiceAccountUpdated with only a description: the name stays', () => {
    scenarios['ServiceAccountUpdated (description only)'].then(({ row, when, audit }) => {
      expect(row(`SELECT name, name_lower, description, updated_at FROM service_accounts`)).toEqual(
        {
          name: 'CI Bot',
          name_lower: 'ci bot',
          description: 'builds and tests',
          updated_at: when.at,
        },
      );
      expect(audit()).toMatchObject({ target_name: 'CI Bot' });
    });
  });

  // The rename once lower-cased with SQLite's lower(), which folds ASCII only, where creation
  // uses JavaScript's toLowerCase(): a renamed 'ÄRGER Bot' got 'Ärger bot' and the by-name
  // search missed it.
  it('ServiceAccountUpdated: a non-ASCII name is lower-cased as on creation', () => {
    scenarios['ServiceAccountUpdated (non-ASCII name)'].then(({ row }) => {
      expect(row(`SELECT name, name_lower FROM service_accounts`)).toEqual({
        name: 'ÄRGER Bot',
        name_lower: 'ärger bot',
      });
    });
  });

  it('ServiceAccountDeleted: the row stays, marked deleted at that time', () => {
    scenarios.ServiceAccountDeleted.then(({ row, when, audit }) => {
      expect(
        row(`SELECT name, status, created_at, updated_at, deleted_at FROM service_accounts`),
      ).toEqual({
        name: 'CI Bot',
        status: 'deleted',
        created_at: when.at - 1000,
        updated_at: when.at,
        deleted_at: when.at,
      });
      expect(audit()).toMatchObject({
        action: 'service_account.deleted',
        target_id: 'sa_1',
        target_name: 'CI Bot',
        details: { accountId: 'sa_1', reason: 'deleted' },
      });
    });
  });

  itReplaysIdempotently(scenarios);
});
