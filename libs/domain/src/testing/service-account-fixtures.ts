import type { Actor, PrincipalRef } from '../actor';
import { BUILT_IN_ROLES, type BuiltInRoleName } from '../permissions';
import type {
  CreateServiceAccount,
  ServiceAccountCommand,
} from '../service-account/service-account-commands';
import type { ServiceAccountCreated } from '../service-account/service-account-events';
import { ORG } from './fixtures';

export const ACCOUNT_ID = 'sa_123';
export const ACCOUNT: PrincipalRef = { kind: 'serviceAccount', id: ACCOUNT_ID };
export const CREATOR: PrincipalRef = { kind: 'member', id: 'u_creator' };

export function accountCreated(
  role: BuiltInRoleName = 'reader',
  resources: string[] = ['db:a'],
  createdBy: PrincipalRef = CREATOR,
): ServiceAccountCreated {
  return {
    type: 'ServiceAccountCreated',
    data: {
      orgId: ORG,
      accountId: ACCOUNT_ID,
      name: 'ci-deployer',
      description: 'deploys from CI',
      role,
      permissions: [...BUILT_IN_ROLES[role]],
      resources,
      enableBasicAuth: false,
      createdBy,
    },
  };
}

export function createCommand(
  actor: Actor,
  overrides: Partial<Omit<CreateServiceAccount['data'], 'actor'>> = {},
): CreateServiceAccount {
  const account = { accountId: ACCOUNT_ID, name: 'ci-deployer', description: 'deploys from CI' };
  const access = { role: null, rolePermissions: null, resources: null };
  const options = { enableBasicAuth: false, policy: { allowedServiceAccountRoles: null } };
  return {
    type: 'CreateServiceAccount',
    data: { actor, ...account, ...access, ...options, ...overrides },
  };
}

export function deleteCommand(actor: Actor, reason = 'no longer used'): ServiceAccountCommand {
  return { type: 'DeleteServiceAccount', data: { actor, reason } };
}
