import type { Actor } from '../actor';
import type { DomainCommand } from '../decider';
import type { KeyCommand } from '../key-events';
import type { MemberGrant, OrgRole } from './member-events';

// actor null is the operator bootstrapping an org's first admin; the command service lets
// only an operator-token request through with it.
export type AddMember = DomainCommand<
  'AddMember',
  {
    actor: Actor | null;
    orgId: string;
    userId: string;
    displayName: string;
    orgRole: OrgRole;
    grants: MemberGrant[];
  }
>;

export type ChangeMemberGrants = DomainCommand<
  'ChangeMemberGrants',
  { actor: Actor; orgRole: OrgRole; grants: MemberGrant[] }
>;

export type RemoveMember = DomainCommand<'RemoveMember', { actor: Actor; reason: string }>;

export type MemberCommand = AddMember | ChangeMemberGrants | RemoveMember | KeyCommand;
