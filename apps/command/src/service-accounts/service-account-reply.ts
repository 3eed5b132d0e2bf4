import type { ServiceAccountState } from '@keyward/domain';
import type { ServiceAccountReply } from '@keyward/messaging';
import { toEpochSeconds } from '../shared/time';

export function serviceAccountReply(
  state: ServiceAccountState,
  createdAtMs: number | null,
): ServiceAccountReply {
  if (state.type === 'Missing') throw new Error('service account missing after its creation');
  const account = state.data;
  return {
    id: account.accountId,
    name: account.name,
    description: account.description,
    enableBasicAuth: account.enableBasicAuth,
    role: account.role,
    permissions: account.permissions,
    resources: account.resources,
    created: toEpochSeconds(createdAtMs ?? 0),
    keys: [],
  };
}
