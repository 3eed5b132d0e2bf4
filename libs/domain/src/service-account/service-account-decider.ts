import type { Decider } from '../decider';
import type { IssueKey, RevokeAllKeys, RevokeKey, RotateKey } from '../key-events';
import { issueKey, revokeAllKeys, revokeKey, rotateKey } from '../key-ring';
import { createServiceAccount } from './create-service-account';
import {
  activeAccount,
  keyOwnerOf,
  knownAccount,
  requireManagement,
} from './service-account-access';
import type {
  DeleteServiceAccount,
  ServiceAccountCommand,
  UpdateServiceAccount,
} from './service-account-commands';
import type { ServiceAccountEvent, ServiceAccountUpdated } from './service-account-events';
import {
  evolveServiceAccount,
  initialServiceAccountState,
  type ServiceAccountState,
} from './service-account-state';

function decide(command: ServiceAccountCommand, state: ServiceAccountState): ServiceAccountEvent[] {
  switch (command.type) {
    case 'CreateServiceAccount':
      return createServiceAccount(command, state);
    case 'UpdateServiceAccount':
      return updateServiceAccount(command, state);
    case 'DeleteServiceAccount':
      return deleteServiceAccount(command, state);
    case 'IssueKey':
      return issueAccountKey(command, state);
    case 'RevokeKey':
      return revokeAccountKey(command, state);
    case 'RevokeAllKeys':
      return revokeAllAccountKeys(command, state);
    case 'RotateKey':
      return rotateAccountKey(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

// Only fields that actually change are recorded; an update that changes nothing records nothing.
function updateServiceAccount(command: UpdateServiceAccount, state: ServiceAccountState) {
  const { actor, name, description } = command.data;
  const account = activeAccount(actor, state);
  requireManagement(actor, account, 'update');
  const data: ServiceAccountUpdated['data'] = {
    orgId: account.orgId,
    accountId: account.accountId,
  };
  if (name !== undefined && name !== account.name) data.name = name;
  if (description !== undefined && description !== account.description) {
    data.description = description;
  }
  if (data.name === undefined && data.description === undefined) return [];
  return [{ type: 'ServiceAccountUpdated' as const, data }];
}

// docs/product-rules.md rule 5: the keys die in the same append as the account, so no verifier can see a
// deleted account with a live key.
function deleteServiceAccount(
  command: DeleteServiceAccount,
  state: ServiceAccountState,
): ServiceAccountEvent[] {
  const { actor, reason } = command.data;
  const account = activeAccount(actor, state);
  requireManagement(actor, account, 'delete');
  const { orgId, accountId } = account;
  return [
    ...revokeAllKeys(account.keys, keyOwnerOf(account), 'account_deleted'),
    { type: 'ServiceAccountDeleted', data: { orgId, accountId, reason } },
  ];
}

function issueAccountKey(command: IssueKey, state: ServiceAccountState): ServiceAccountEvent[] {
  const account = activeAccount(command.data.actor, state);
  requireManagement(command.data.actor, account, 'issue keys for');
  return issueKey(account.keys, keyOwnerOf(account), command.data);
}

// Rotating issues a key, so it takes what issuing takes: an active account the actor may manage.
function rotateAccountKey(command: RotateKey, state: ServiceAccountState): ServiceAccountEvent[] {
  const account = activeAccount(command.data.actor, state);
  requireManagement(command.data.actor, account, 'rotate keys of');
  return rotateKey(account.keys, keyOwnerOf(account), command.data);
}

// A deleted account's keys were all revoked with it, so revoking again is a harmless no-op.
function revokeAccountKey(command: RevokeKey, state: ServiceAccountState): ServiceAccountEvent[] {
  const { actor, keyId, reason } = command.data;
  const known = knownAccount(actor, state);
  requireManagement(actor, known.data, 'revoke keys of');
  if (known.type === 'Deleted') return [];
  return revokeKey(known.data.keys, keyOwnerOf(known.data), keyId, reason);
}

function revokeAllAccountKeys(
  command: RevokeAllKeys,
  state: ServiceAccountState,
): ServiceAccountEvent[] {
  const { actor, reason } = command.data;
  const known = knownAccount(actor, state);
  requireManagement(actor, known.data, 'revoke keys of');
  if (known.type === 'Deleted') return [];
  return revokeAllKeys(known.data.keys, keyOwnerOf(known.data), reason);
}

export const serviceAccountDecider: Decider<
  ServiceAccountCommand,
  ServiceAccountEvent,
  ServiceAccountState
> = {
  decide,
  evolve: evolveServiceAccount,
  initialState: initialServiceAccountState,
};
