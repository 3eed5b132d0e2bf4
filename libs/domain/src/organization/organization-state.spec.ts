import { DomainError } from '../domain-error';
import { ORG } from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import { organizationDecider } from './organization-decider';
import type { OrganizationEvent } from './organization-events';
import { DEFAULT_ORGANIZATION_POLICY, policyOf, resolveRole } from './organization-state';

const created: OrganizationEvent = {
  type: 'OrganizationCreated',
  data: { orgId: ORG, name: 'Acme' },
};
const deployerDefined: OrganizationEvent = {
  type: 'RoleDefined',
  data: { orgId: ORG, name: 'deployer', permissions: ['read', 'execute'] },
};

describe('resolveRole', () => {
  const { state } = given(organizationDecider, [created, deployerDefined]);

  it('resolves built-in roles', () => {
    expect(resolveRole(state, 'reader')).toEqual(['read']);
    expect(resolveRole(state, 'executor')).toEqual(['read', 'execute']);
    expect(resolveRole(state, 'writer')).toEqual(['read', 'execute', 'write', 'delete']);
    expect(resolveRole(state, 'admin')).toEqual(['read', 'execute', 'write', 'delete', 'admin']);
  });

  it('resolves custom roles', () => {
    expect(resolveRole(state, 'deployer')).toEqual(['read', 'execute']);
  });

  it.each(['auditor', 'constructor', 'Reader'])('refuses the unknown role %s', (name) => {
    const refuse = () => resolveRole(state, name);
    expect(refuse).toThrow(DomainError);
    expect(refuse).toThrow(expect.objectContaining({ code: 'ROLE.UNKNOWN' }));
  });
});

describe('policyOf', () => {
  it('gives the defaults until a policy is set', () => {
    expect(policyOf(given(organizationDecider, [created]).state)).toEqual({
      maxActiveKeysPerPrincipal: 100,
      maxKeyLifetimeSeconds: null,
      allowedServiceAccountRoles: null,
      expiryNoticeSeconds: null,
    });
    expect(policyOf(given(organizationDecider).state)).toEqual(DEFAULT_ORGANIZATION_POLICY);
  });

  it('gives the latest policy set', () => {
    const policy = {
      maxActiveKeysPerPrincipal: 3,
      maxKeyLifetimeSeconds: 600,
      allowedServiceAccountRoles: ['reader'],
      expiryNoticeSeconds: 86_400,
    };
    const policySet: OrganizationEvent = {
      type: 'OrganizationPolicySet',
      data: { orgId: ORG, ...policy },
    };
    expect(policyOf(given(organizationDecider, [created, policySet]).state)).toEqual(policy);
  });
});
