import type { Permission } from '../permissions';
import { given } from '../testing/given-when-then';
import { ORG, OTHER_ORG, memberActor, orgAdmin } from '../testing/fixtures';
import type { OrganizationCommand } from './organization-commands';
import { organizationDecider } from './organization-decider';
import type { OrganizationEvent, OrganizationPolicy } from './organization-events';

const created: OrganizationEvent = {
  type: 'OrganizationCreated',
  data: { orgId: ORG, name: 'Acme' },
};
const deployerDefined: OrganizationEvent = {
  type: 'RoleDefined',
  data: { orgId: ORG, name: 'deployer', permissions: ['read', 'execute'] },
};
const plainMember = memberActor('u_plain');

function defineRole(name: string, permissions: Permission[] = ['read'], actor = orgAdmin) {
  return { type: 'DefineRole', data: { actor, name, permissions } } satisfies OrganizationCommand;
}

function setPolicy(policy: Partial<OrganizationPolicy>, actor = orgAdmin): OrganizationCommand {
  const defaults = { maxActiveKeysPerPrincipal: 100, maxKeyLifetimeSeconds: null };
  return {
    type: 'SetOrganizationPolicy',
    data: {
      actor,
      ...defaults,
      allowedServiceAccountRoles: null,
      expiryNoticeSeconds: null,
      ...policy,
    },
  };
}

describe('CreateOrganization', () => {
  const create: OrganizationCommand = {
    type: 'CreateOrganization',
    data: { orgId: ORG, name: 'Acme' },
  };

  it('creates an organization on an empty stream', () => {
    given(organizationDecider).when(create).then([created]);
  });

  it('refuses a second creation', () => {
    given(organizationDecider, [created]).when(create).thenThrows('ORGANIZATION.ALREADY_EXISTS');
  });
});

describe('DefineRole', () => {
  it('defines a custom role with permissions deduplicated in canonical order', () => {
    given(organizationDecider, [created])
      .when(defineRole('deployer', ['execute', 'read', 'execute']))
      .then([deployerDefined]);
  });

  it('is for org admins only', () => {
    given(organizationDecider, [created])
      .when(defineRole('deployer', ['read'], plainMember))
      .thenThrows('AUTH.FORBIDDEN');
  });

  it('answers not found for a missing organization', () => {
    given(organizationDecider).when(defineRole('deployer')).thenThrows('ORGANIZATION.NOT_FOUND');
  });

  it("answers not found for another organization's admin", () => {
    const outsider = memberActor('u_x', [], { orgAdmin: true, orgId: OTHER_ORG });
    given(organizationDecider, [created])
      .when(defineRole('deployer', ['read'], outsider))
      .thenThrows('ORGANIZATION.NOT_FOUND');
  });

  it.each(['reader', 'executor', 'writer', 'admin', 'Admin'])(
    'refuses the built-in name %s',
    (name) => {
      given(organizationDecider, [created])
        .when(defineRole(name))
        .thenThrows('ROLE.ALREADY_DEFINED');
    },
  );

  it('never redefines a custom role: roles are not edited', () => {
    given(organizationDecider, [created, deployerDefined])
      .when(defineRole('Deployer', ['read', 'execute', 'write']))
      .thenThrows('ROLE.ALREADY_DEFINED');
  });

  it('refuses an empty permission set', () => {
    given(organizationDecider, [created])
      .when(defineRole('nothing', []))
      .thenThrows('ROLE.EMPTY_PERMISSIONS');
  });
});

describe('SetOrganizationPolicy', () => {
  const policySet = (policy: Partial<OrganizationPolicy>): OrganizationEvent => ({
    type: 'OrganizationPolicySet',
    data: {
      orgId: ORG,
      maxActiveKeysPerPrincipal: 100,
      maxKeyLifetimeSeconds: null,
      allowedServiceAccountRoles: null,
      expiryNoticeSeconds: null,
      ...policy,
    },
  });

  it('records a new policy', () => {
    const policy = { maxActiveKeysPerPrincipal: 5, maxKeyLifetimeSeconds: 86_400 };
    given(organizationDecider, [created])
      .when(setPolicy(policy))
      .then([policySet(policy)]);
  });

  it.each([1, 10_000])('accepts %i as the key cap', (max) => {
    given(organizationDecider, [created])
      .when(setPolicy({ maxActiveKeysPerPrincipal: max }))
      .then([policySet({ maxActiveKeysPerPrincipal: max })]);
  });

  it.each([0, 10_001, 2.5, -1, 1e308, 2 ** 53 + 2])('refuses %d as the key cap', (max) => {
    given(organizationDecider, [created])
      .when(setPolicy({ maxActiveKeysPerPrincipal: max }))
      .thenThrows('POLICY.INVALID');
  });

  it('accepts a lifetime of exactly 60 seconds and refuses 59', () => {
    const org = given(organizationDecider, [created]);
    org
      .when(setPolicy({ maxKeyLifetimeSeconds: 60 }))
      .then([policySet({ maxKeyLifetimeSeconds: 60 })]);
    org.when(setPolicy({ maxKeyLifetimeSeconds: 59 })).thenThrows('POLICY.INVALID');
  });

  it('accepts a lifetime of exactly 100 years and refuses one second more, 1e308 and 2^53 + 2', () => {
    const org = given(organizationDecider, [created]);
    org
      .when(setPolicy({ maxKeyLifetimeSeconds: 3_153_600_000 }))
      .then([policySet({ maxKeyLifetimeSeconds: 3_153_600_000 })]);
    for (const lifetime of [3_153_600_001, 1e308, 2 ** 53 + 2]) {
      org.when(setPolicy({ maxKeyLifetimeSeconds: lifetime })).thenThrows('POLICY.INVALID');
    }
  });

  it('accepts an expiry notice of 0 (none), 365 days and back to the default, each a change', () => {
    const noNotice = policySet({ expiryNoticeSeconds: 0 });
    const year = policySet({ expiryNoticeSeconds: 31_536_000 });
    given(organizationDecider, [created])
      .when(setPolicy({ expiryNoticeSeconds: 0 }))
      .then([noNotice]);
    given(organizationDecider, [created, noNotice])
      .when(setPolicy({ expiryNoticeSeconds: 31_536_000 }))
      .then([year]);
    given(organizationDecider, [created, year])
      .when(setPolicy({ expiryNoticeSeconds: null }))
      .then([policySet({})]);
    given(organizationDecider, [created, year])
      .when(setPolicy({ expiryNoticeSeconds: 31_536_000 }))
      .then([]);
  });

  it.each([-1, 31_536_001, 1.5, 1e308, 2 ** 53 + 2, Number.NaN])(
    'refuses %d seconds as the expiry notice',
    (seconds) => {
      given(organizationDecider, [created])
        .when(setPolicy({ expiryNoticeSeconds: seconds }))
        .thenThrows('POLICY.INVALID');
    },
  );

  it('accepts built-in and custom roles for service accounts, deduplicated', () => {
    given(organizationDecider, [created, deployerDefined])
      .when(setPolicy({ allowedServiceAccountRoles: ['reader', 'deployer', 'reader'] }))
      .then([policySet({ allowedServiceAccountRoles: ['reader', 'deployer'] })]);
  });

  it('refuses an allowed role that does not exist', () => {
    given(organizationDecider, [created])
      .when(setPolicy({ allowedServiceAccountRoles: ['reader', 'deployer'] }))
      .thenThrows('ROLE.UNKNOWN');
  });

  it('records nothing when the policy does not change', () => {
    given(organizationDecider, [created]).when(setPolicy({})).then([]);
  });

  it('is for org admins only', () => {
    given(organizationDecider, [created])
      .when(setPolicy({ maxActiveKeysPerPrincipal: 5 }, plainMember))
      .thenThrows('AUTH.FORBIDDEN');
  });

  it('answers not found for a missing organization', () => {
    given(organizationDecider).when(setPolicy({})).thenThrows('ORGANIZATION.NOT_FOUND');
  });
});
