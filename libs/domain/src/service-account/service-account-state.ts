import type { PrincipalRef } from '../actor';
import { EMPTY_KEY_RING, evolveKeyRing, type KeyRing } from '../key-ring';
import type { Permission } from '../permissions';
import type { ServiceAccountEvent } from './service-account-events';

export interface ServiceAccount {
  orgId: string;
  accountId: string;
  name: string;
  description: string;
  role: string;
  permissions: Permission[];
  resources: string[];
  enableBasicAuth: boolean;
  createdBy: PrincipalRef;
  keys: KeyRing;
}

export type ServiceAccountState =
  | { type: 'Missing' }
  | { type: 'Active'; data: ServiceAccount }
  | { type: 'Deleted'; data: ServiceAccount };

export type KnownServiceAccount = Exclude<ServiceAccountState, { type: 'Missing' }>;

export function initialServiceAccountState(): ServiceAccountState {
  return { type: 'Missing' };
}

export function evolveServiceAccount(
  state: ServiceAccountState,
  event: ServiceAccountEvent,
): ServiceAccountState {
  if (event.type === 'ServiceAccountCreated') {
    return { type: 'Active', data: { ...event.data, keys: EMPTY_KEY_RING } };
  }
  if (state.type === 'Missing') return state;
  return applyChange(state, event);
}

function applyChange(state: KnownServiceAccount, event: ServiceAccountEvent): ServiceAccountState {
  const account = state.data;
  switch (event.type) {
    case 'ServiceAccountCreated':
      return state;
    case 'ServiceAccountUpdated': {
      const { name = account.name, description = account.description } = event.data;
      return { ...state, data: { ...account, name, description } };
    }
    case 'ServiceAccountDeleted':
      return { type: 'Deleted', data: account };
    case 'KeyIssued':
    case 'KeyRevoked':
    case 'KeyRotated':
      return { ...state, data: { ...account, keys: evolveKeyRing(account.keys, event) } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
