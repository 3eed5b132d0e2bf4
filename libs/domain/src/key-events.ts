import type { Actor, PrincipalRef } from './actor';
import type { DomainCommand, DomainEvent } from './decider';

export type RevocationReason =
  'manual' | 'revoke_all' | 'account_deleted' | 'member_removed' | 'leaked' | 'expired';

// The cascade reasons are the domain's to record (on delete / removal), never a caller's.
export type RequestedRevocationReason = Exclude<
  RevocationReason,
  'account_deleted' | 'member_removed'
>;

export type KeyIssued = DomainEvent<
  'KeyIssued',
  {
    orgId: string;
    keyId: string;
    owner: PrincipalRef;
    name: string;
    description: string;
    keyHash: string;
    hint: string;
    expiresAt: number | null;
  }
>;

export type KeyRevoked = DomainEvent<
  'KeyRevoked',
  { orgId: string; keyId: string; owner: PrincipalRef; reason: RevocationReason }
>;

export type KeyEvent = KeyIssued | KeyRevoked;

export interface KeyPolicy {
  maxActiveKeysPerPrincipal: number;
  maxKeyLifetimeSeconds: number | null;
}

export type IssueKey = DomainCommand<
  'IssueKey',
  {
    actor: Actor;
    keyId: string;
    keyHash: string;
    hint: string;
    name: string;
    description: string;
    expiresAt: number | null;
    now: number;
    policy: KeyPolicy;
  }
>;

export type RevokeKey = DomainCommand<
  'RevokeKey',
  { actor: Actor; keyId: string; reason: RequestedRevocationReason }
>;

export type RevokeAllKeys = DomainCommand<
  'RevokeAllKeys',
  { actor: Actor; reason: RequestedRevocationReason }
>;

export type KeyCommand = IssueKey | RevokeKey | RevokeAllKeys;
