import { DomainError } from '../domain-error';
import { builtInRolePermissions, isBuiltInRole, type Permission } from '../permissions';
import type { OrganizationEvent, OrganizationPolicy } from './organization-events';

export const DEFAULT_ORGANIZATION_POLICY: OrganizationPolicy = {
  maxActiveKeysPerPrincipal: 100,
  maxKeyLifetimeSeconds: null,
  allowedServiceAccountRoles: null,
  expiryNoticeSeconds: null,
};

export interface Organization {
  orgId: string;
  name: string;
  // A Map, not a record: a role named "constructor" must not find Object.prototype.
  customRoles: ReadonlyMap<string, Permission[]>;
  policy: OrganizationPolicy;
}

export type OrganizationState = { type: 'Missing' } | { type: 'Existing'; data: Organization };

export function initialOrganizationState(): OrganizationState {
  return { type: 'Missing' };
}

export function evolveOrganization(
  state: OrganizationState,
  event: OrganizationEvent,
): OrganizationState {
  if (event.type === 'OrganizationCreated') {
    const { orgId, name } = event.data;
    const organization = {
      orgId,
      name,
      customRoles: new Map(),
      policy: DEFAULT_ORGANIZATION_POLICY,
    };
    return { type: 'Existing', data: organization };
  }
  if (state.type === 'Missing') return state;
  return { type: 'Existing', data: applyChange(state.data, event) };
}

function applyChange(organization: Organization, event: OrganizationEvent): Organization {
  switch (event.type) {
    case 'OrganizationCreated':
      return organization;
    case 'RoleDefined': {
      const customRoles = new Map(organization.customRoles);
      customRoles.set(event.data.name, event.data.permissions);
      return { ...organization, customRoles };
    }
    case 'OrganizationPolicySet': {
      const {
        maxActiveKeysPerPrincipal,
        maxKeyLifetimeSeconds,
        allowedServiceAccountRoles,
        expiryNoticeSeconds,
      } = event.data;
      const policy = {
        maxActiveKeysPerPrincipal,
        maxKeyLifetimeSeconds,
        allowedServiceAccountRoles,
        expiryNoticeSeconds,
      };
      return { ...organization, policy };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function findRole(state: OrganizationState, roleName: string): Permission[] | null {
  if (isBuiltInRole(roleName)) return builtInRolePermissions(roleName);
  if (state.type === 'Missing') return null;
  const custom = state.data.customRoles.get(roleName);
  return custom === undefined ? null : [...custom];
}

export function resolveRole(state: OrganizationState, roleName: string): Permission[] {
  const permissions = findRole(state, roleName);
  if (permissions !== null) return permissions;
  throw new DomainError('ROLE.UNKNOWN', `role ${roleName} is not defined in this organization`, {
    role: roleName,
  });
}

export function policyOf(state: OrganizationState): OrganizationPolicy {
  return state.type === 'Existing' ? state.data.policy : DEFAULT_ORGANIZATION_POLICY;
}
