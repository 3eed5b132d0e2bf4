import type { Actor } from '../actor';
import type {
  IssueKey,
  KeyIssued,
  KeyPolicy,
  KeyRevoked,
  KeyRotated,
  RevocationReason,
  RotateKey,
} from '../key-events';
import { BUILT_IN_ROLES, type BuiltInRoleName, type Grant } from '../permissions';
import type { PrincipalRef } from '../actor';

export const ORG = 'org_1';
export const OTHER_ORG = 'org_2';
export const NOW = 1_700_000_000_000;
export const HOUR = 3_600_000;

export function grant(resource: string, role: BuiltInRoleName): Grant {
  return { resource, permissions: [...BUILT_IN_ROLES[role]] };
}

export function memberActor(
  id: string,
  grants: Grant[] = [],
  options: { orgAdmin?: boolean; orgId?: string } = {},
): Actor {
  return {
    kind: 'member',
    id,
    orgId: options.orgId ?? ORG,
    orgAdmin: options.orgAdmin ?? false,
    grants,
  };
}

export const orgAdmin = memberActor('u_admin', [grant('*', 'admin')], { orgAdmin: true });

export function serviceAccountActor(id: string, role: BuiltInRoleName, resources: string[]): Actor {
  return {
    kind: 'serviceAccount',
    id,
    orgId: ORG,
    orgAdmin: false,
    grants: resources.map((resource) => grant(resource, role)),
  };
}

export const UNLIMITED: KeyPolicy = { maxActiveKeysPerPrincipal: 100, maxKeyLifetimeSeconds: null };

export function issueKeyCommand(
  actor: Actor,
  keyId: string,
  overrides: Partial<Omit<IssueKey['data'], 'actor' | 'keyId'>> = {},
): IssueKey {
  const data = { actor, keyId, keyHash: `hash_${keyId}`, hint: `kw_live_…${keyId.slice(-4)}` };
  const details = { name: `key ${keyId}`, description: '', expiresAt: null, now: NOW };
  return { type: 'IssueKey', data: { ...data, ...details, policy: UNLIMITED, ...overrides } };
}

export function keyIssued(
  owner: PrincipalRef,
  keyId: string,
  expiresAt: number | null = null,
): KeyIssued {
  const key = { keyId, keyHash: `hash_${keyId}`, hint: `kw_live_…${keyId.slice(-4)}` };
  return {
    type: 'KeyIssued',
    data: { orgId: ORG, owner, ...key, name: `key ${keyId}`, description: '', expiresAt },
  };
}

export function keyRevoked(
  owner: PrincipalRef,
  keyId: string,
  reason: RevocationReason,
): KeyRevoked {
  return { type: 'KeyRevoked', data: { orgId: ORG, keyId, owner, reason } };
}

/** Rotates `keyId` into `successorKeyId`; a 24 h grace unless overridden. */
export function rotateKeyCommand(
  actor: Actor,
  keyId: string,
  successorKeyId: string,
  overrides: Partial<Omit<RotateKey['data'], 'actor' | 'keyId' | 'successorKeyId'>> = {},
): RotateKey {
  const minted = {
    keyHash: `hash_${successorKeyId}`,
    hint: `kw_live_…${successorKeyId.slice(-4)}`,
  };
  const details = { name: `key ${successorKeyId}`, description: '', expiresAt: null, now: NOW };
  return {
    type: 'RotateKey',
    data: {
      actor,
      keyId,
      successorKeyId,
      ...minted,
      ...details,
      graceSeconds: 86_400,
      policy: UNLIMITED,
      ...overrides,
    },
  };
}

export function keyRotated(
  owner: PrincipalRef,
  keyId: string,
  successorKeyId: string,
  expiresAt: number,
): KeyRotated {
  return { type: 'KeyRotated', data: { orgId: ORG, keyId, owner, successorKeyId, expiresAt } };
}
