import { requireOrgAdmin, type Actor } from '../actor';
import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import { BUILT_IN_ROLE_NAMES, normalizePermissions } from '../permissions';
import type {
  CreateOrganization,
  DefineRole,
  OrganizationCommand,
  SetOrganizationPolicy,
} from './organization-commands';
import type { OrganizationEvent } from './organization-events';
import { samePolicy, validatePolicy } from './organization-policy';
import {
  evolveOrganization,
  initialOrganizationState,
  type Organization,
  type OrganizationState,
} from './organization-state';

function decide(command: OrganizationCommand, state: OrganizationState): OrganizationEvent[] {
  switch (command.type) {
    case 'CreateOrganization':
      return createOrganization(command, state);
    case 'DefineRole':
      return defineRole(command, state);
    case 'SetOrganizationPolicy':
      return setPolicy(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function createOrganization(command: CreateOrganization, state: OrganizationState) {
  const { orgId, name } = command.data;
  if (state.type === 'Existing') {
    throw new DomainError('ORGANIZATION.ALREADY_EXISTS', `organization ${orgId} already exists`);
  }
  return [{ type: 'OrganizationCreated' as const, data: { orgId, name } }];
}

function defineRole(command: DefineRole, state: OrganizationState): OrganizationEvent[] {
  const { actor, name } = command.data;
  const organization = organizationFor(actor, state);
  requireOrgAdmin(actor, `define role ${name}`);
  // Compared case-insensitively so "Admin" can never pass for "admin".
  const taken = [...BUILT_IN_ROLE_NAMES, ...organization.customRoles.keys()];
  if (taken.some((role) => role.toLowerCase() === name.toLowerCase())) {
    throw new DomainError('ROLE.ALREADY_DEFINED', `role ${name} is already defined`, {
      role: name,
    });
  }
  const permissions = normalizePermissions(command.data.permissions);
  if (permissions.length === 0) {
    throw new DomainError(
      'ROLE.EMPTY_PERMISSIONS',
      `role ${name} must have at least one permission`,
    );
  }
  return [{ type: 'RoleDefined', data: { orgId: organization.orgId, name, permissions } }];
}

function setPolicy(command: SetOrganizationPolicy, state: OrganizationState): OrganizationEvent[] {
  const { actor, ...requested } = command.data;
  const organization = organizationFor(actor, state);
  requireOrgAdmin(actor, 'change the organization policy');
  const policy = validatePolicy(state, requested);
  if (samePolicy(policy, organization.policy)) return [];
  return [{ type: 'OrganizationPolicySet', data: { orgId: organization.orgId, ...policy } }];
}

// Another org's organization answers exactly like a missing one: existence never leaks.
function organizationFor(actor: Actor, state: OrganizationState): Organization {
  if (state.type === 'Missing' || state.data.orgId !== actor.orgId) {
    throw new DomainError('ORGANIZATION.NOT_FOUND', `organization ${actor.orgId} was not found`);
  }
  return state.data;
}

export const organizationDecider: Decider<
  OrganizationCommand,
  OrganizationEvent,
  OrganizationState
> = {
  decide,
  evolve: evolveOrganization,
  initialState: initialOrganizationState,
};
