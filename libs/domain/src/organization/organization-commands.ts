import type { Actor } from '../actor';
import type { DomainCommand } from '../decider';
import type { Permission } from '../permissions';
import type { OrganizationPolicy } from './organization-events';

// No actor: only the operator (bootstrap) creates organizations.
export type CreateOrganization = DomainCommand<
  'CreateOrganization',
  { orgId: string; name: string }
>;

export type DefineRole = DomainCommand<
  'DefineRole',
  { actor: Actor; name: string; permissions: Permission[] }
>;

export type SetOrganizationPolicy = DomainCommand<
  'SetOrganizationPolicy',
  { actor: Actor } & OrganizationPolicy
>;

export type OrganizationCommand = CreateOrganization | DefineRole | SetOrganizationPolicy;
