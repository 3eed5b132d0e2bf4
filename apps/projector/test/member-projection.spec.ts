import {
  ORG_CREATED as org,
  ADMIN_ADDED as admin,
  given,
  itReplaysIdempotently,
  type SpecEvent,
} from './projection-spec';

const dana: SpecEvent = {
  type: 'MemberAdded',
  data: {
    orgId: 'acme',
    userId: 'dana',
    displayName: 'Dana Scully',
    orgRole: 'member',
    grants: [{ resource: 'billing', role: 'reader', permissions: ['read'] }],
  },
};
const danaRemoved: SpecEvent = {
  type: 'MemberRemoved',
  data: { orgId: 'acme', userId: 'dana', reason: 'removed' },
};

const scenarios = {
  MemberAdded: given(org, admin).when(dana),
  'MemberAdded (again, after removal)': given(org, admin, dana, danaRemoved).when({
    type: 'MemberAdded',
    data: {
      orgId: 'acme',
      userId: 'dana',
      displayName: 'Dana K. Scully',
      orgRole: 'admin',
      grants: [],
    },
  }),
  MemberGrantsChanged: given(org, admin, dana).when({
    type: 'MemberGrantsChanged',
    data: {
      orgId: 'acme',
      userId: 'dana',
      orgRole: 'admin',
      grants: [{ resource: '*', role: 'deployer', permissions: ['read', 'execute'] }],
    },
  }),
  MemberRemoved: given(org, admin, dana).when(danaRemoved),
};

describe('member projection', () => {
  it('MemberAdded: an active member with their role and grants', () => {
    scenarios.MemberAdded.then(({ rows, when, audit }) => {
      expect(rows(`SELECT * FROM members WHERE user_id = 'dana'`)).toEqual([
        {
          org_id: 'acme',
          user_id: 'dana',
          display_name: 'Dana Scully',
          org_role: 'member',
          grants: '[{"resource":"billing","role":"reader","permissions":["read"]}]',
          status: 'active',
          added_at: when.at,
          removed_at: null,
        },
      ]);
      expect(audit()).toMatchObject({
        action: 'member.added',
        actor_kind: 'member',
        actor_id: 'admin',
        actor_name: 'Ada Admin',
        target_kind: 'member',
        target_id: 'dana',
        target_name: 'Dana Scully',
        details: { userId: 'dana', displayName: 'Dana Scully', orgRole: 'member' },
      });
    });
  });

  it('MemberAdded again after a removal: active again, with the new name, role and grants', () => {
    scenarios['MemberAdded (again, after removal)'].then(({ row, when }) => {
      expect(row(`SELECT * FROM members WHERE user_id = 'dana'`)).toEqual({
        org_id: 'acme',
        user_id: 'dana',
        display_name: 'Dana K. Scully',
        org_role: 'admin',
        grants: '[]',
        status: 'active',
        added_at: when.at,
        removed_at: null,
      });
    });
  });

  it('MemberGrantsChanged: replaces role and grants, keeps the rest', () => {
    scenarios.MemberGrantsChanged.then(({ row, audit, when }) => {
      expect(row(`SELECT * FROM members WHERE user_id = 'dana'`)).toEqual({
        org_id: 'acme',
        user_id: 'dana',
        display_name: 'Dana Scully',
        org_role: 'admin',
        grants: '[{"resource":"*","role":"deployer","permissions":["read","execute"]}]',
        status: 'active',
        added_at: when.at - 1000,
        removed_at: null,
      });
      expect(audit()).toMatchObject({
        action: 'member.grants_changed',
        target_id: 'dana',
        target_name: 'Dana Scully',
      });
    });
  });

  it('MemberRemoved: the row stays, marked removed at that time', () => {
    scenarios.MemberRemoved.then(({ row, audit, when }) => {
      expect(
        row(
          `SELECT display_name, status, added_at, removed_at FROM members WHERE user_id = 'dana'`,
        ),
      ).toEqual({
        display_name: 'Dana Scully',
        status: 'removed',
        added_at: when.at - 1000,
        removed_at: when.at,
      });
      expect(row(`SELECT status FROM members WHERE user_id = 'admin'`)).toEqual({
        status: 'active',
      });
      expect(audit()).toMatchObject({
        action: 'member.removed',
        actor_name: 'Ada Admin',
        target_id: 'dana',
        target_name: 'Dana Scully',
        details: { userId: 'dana', reason: 'removed' },
      });
    });
  });

  itReplaysIdempotently(scenarios);
});
