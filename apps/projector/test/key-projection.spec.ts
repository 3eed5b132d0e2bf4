import {
  ORG_CREATED as org,
  ADMIN_ADDED as admin,
  given,
  itReplaysIdempotently,
  type SpecEvent,
} from './projection-spec';

const KEY_HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const account: SpecEvent = {
  type: 'ServiceAccountCreated',
  data: {
    orgId: 'acme',
    accountId: 'sa_1',
    name: 'CI Bot',
    description: '',
    role: 'deployer',
    permissions: ['read', 'execute'],
    resources: ['*'],
    enableBasicAuth: false,
    createdBy: { kind: 'member', id: 'admin' },
  },
};
const owner = { kind: 'serviceAccount', id: 'sa_1' } as const;
const issued: SpecEvent = {
  type: 'KeyIssued',
  data: {
    orgId: 'acme',
    keyId: 'key_1',
    owner,
    name: 'deploy',
    description: 'for the pipeline',
    keyHash: KEY_HASH,
    hint: 'kw_live_ab12…cd34',
    expiresAt: Date.UTC(2027, 0, 1),
  },
};
const revoked: SpecEvent = {
  type: 'KeyRevoked',
  data: { orgId: 'acme', keyId: 'key_1', owner, reason: 'leaked' },
};

const successor: SpecEvent = {
  type: 'KeyIssued',
  data: { ...issued.data, keyId: 'key_2', name: 'deploy 2', expiresAt: null } as never,
};
const rotated: SpecEvent = {
  type: 'KeyRotated',
  data: {
    orgId: 'acme',
    keyId: 'key_1',
    owner,
    successorKeyId: 'key_2',
    expiresAt: Date.UTC(2026, 11, 4),
  },
};

const scenarios = {
  KeyIssued: given(org, admin, account).when(issued),
  'KeyIssued (personal, no expiry)': given(org, admin).when({
    type: 'KeyIssued',
    data: {
      orgId: 'acme',
      keyId: 'key_p',
      owner: { kind: 'member', id: 'admin' },
      name: 'laptop',
      description: '',
      keyHash: KEY_HASH,
      hint: 'kw_live_ef56…gh78',
      expiresAt: null,
    },
  }),
  KeyRevoked: given(org, admin, account, issued).when(revoked),
  'KeyRevoked (twice)': given(org, admin, account, issued, revoked).when({
    type: 'KeyRevoked',
    data: { orgId: 'acme', keyId: 'key_1', owner, reason: 'account_deleted' },
    metadata: { actor: { kind: 'operator' } },
  }),
  KeyRotated: given(org, admin, account, issued, successor).when(rotated),
};

describe('key projection', () => {
  it('KeyIssued: key metadata, created by the actor, and never its hash', () => {
    scenarios.KeyIssued.then(({ rows, when, audit, db }) => {
      expect(rows('SELECT * FROM keys')).toEqual([
        {
          key_id: 'key_1',
          org_id: 'acme',
          owner_kind: 'serviceAccount',
          owner_id: 'sa_1',
          name: 'deploy',
          description: 'for the pipeline',
          hint: 'kw_live_ab12…cd34',
          created_at: when.at,
          created_by_kind: 'member',
          created_by_id: 'admin',
          expires_at: Date.UTC(2027, 0, 1),
          revoked_at: null,
          revoked_by_kind: null,
          revoked_by_id: null,
          revoked_reason: null,
          succeeds: null,
          succeeded_by: null,
        },
      ]);
      expect(audit()).toEqual(
        expect.objectContaining({
          action: 'key.issued',
          event_type: 'KeyIssued',
          actor_kind: 'member',
          actor_id: 'admin',
          actor_name: 'Ada Admin',
          target_kind: 'key',
          target_id: 'key_1',
          target_name: 'deploy',
          owner_kind: 'serviceAccount',
          owner_id: 'sa_1',
          details: {
            keyId: 'key_1',
            owner,
            name: 'deploy',
            description: 'for the pipeline',
            hint: 'kw_live_ab12…cd34',
            expiresAt: Date.UTC(2027, 0, 1),
          },
        }),
      );
      for (const table of ['keys', 'audit_log', 'service_accounts', 'key_usage']) {
        expect(JSON.stringify(rows(`SELECT * FROM ${table}`))).not.toContain(KEY_HASH);
      }
      expect(JSON.stringify(db.prepare('SELECT * FROM sqlite_master').all())).not.toMatch(/hash/i);
    });
  });

  it('KeyIssued: a personal key, owned by the member, without expiry', () => {
    scenarios['KeyIssued (personal, no expiry)'].then(({ row, audit }) => {
      expect(row('SELECT key_id, owner_kind, owner_id, expires_at FROM keys')).toEqual({
        key_id: 'key_p',
        owner_kind: 'member',
        owner_id: 'admin',
        expires_at: null,
      });
      expect(audit()).toMatchObject({ owner_kind: 'member', owner_id: 'admin' });
      expect(audit().details).not.toHaveProperty('keyHash');
    });
  });

  it('KeyRevoked: when, by whom and why; the key name as of then in the audit log', () => {
    scenarios.KeyRevoked.then(({ row, when, audit }) => {
      expect(
        row(`SELECT name, created_at, revoked_at, revoked_by_kind, revoked_by_id, revoked_reason
             FROM keys`),
      ).toEqual({
        name: 'deploy',
        created_at: when.at - 1000,
        revoked_at: when.at,
        revoked_by_kind: 'member',
        revoked_by_id: 'admin',
        revoked_reason: 'leaked',
      });
      expect(audit()).toMatchObject({
        action: 'key.revoked',
        actor_name: 'Ada Admin',
        target_kind: 'key',
        target_id: 'key_1',
        target_name: 'deploy',
        owner_kind: 'serviceAccount',
        owner_id: 'sa_1',
        details: { keyId: 'key_1', owner, reason: 'leaked' },
      });
    });
  });

  it('KeyRevoked again: the first revocation stands, the second is only audited', () => {
    scenarios['KeyRevoked (twice)'].then(({ row, when, audit }) => {
      expect(
        row(`SELECT revoked_at, revoked_by_kind, revoked_by_id, revoked_reason FROM keys`),
      ).toEqual({
        revoked_at: when.at - 1000,
        revoked_by_kind: 'member',
        revoked_by_id: 'admin',
        revoked_reason: 'leaked',
      });
      expect(audit()).toMatchObject({
        action: 'key.revoked',
        actor_kind: 'operator',
        actor_name: 'operator',
        target_name: 'deploy',
      });
    });
  });

  it('KeyRotated: the old key gets its new expiry and both keys the link; audited as key.rotated', () => {
    scenarios.KeyRotated.then(({ rows, audit }) => {
      expect(
        rows('SELECT key_id, expires_at, succeeds, succeeded_by FROM keys ORDER BY key_id'),
      ).toEqual([
        {
          key_id: 'key_1',
          expires_at: Date.UTC(2026, 11, 4),
          succeeds: null,
          succeeded_by: 'key_2',
        },
        { key_id: 'key_2', expires_at: null, succeeds: 'key_1', succeeded_by: null },
      ]);
      expect(audit()).toMatchObject({
        action: 'key.rotated',
        event_type: 'KeyRotated',
        actor_kind: 'member',
        actor_id: 'admin',
        actor_name: 'Ada Admin',
        target_kind: 'key',
        target_id: 'key_1',
        target_name: 'deploy',
        owner_kind: 'serviceAccount',
        owner_id: 'sa_1',
        details: {
          keyId: 'key_1',
          owner,
          successorKeyId: 'key_2',
          expiresAt: Date.UTC(2026, 11, 4),
        },
      });
    });
  });

  itReplaysIdempotently(scenarios);
});
