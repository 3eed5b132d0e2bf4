import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import type {
  ReleaseServiceAccountName,
  ReserveServiceAccountName,
  ServiceAccountNameCommand,
  ServiceAccountNameEvent,
} from './service-account-name-messages';

export interface NameReservation {
  orgId: string;
  name: string;
  accountId: string;
  /** Epoch ms of the reservation. */
  reservedAt: number;
}

/**
 * How long a reservation whose account stream does not exist yet still counts: covers the gap
 * between reserving a name and creating the account, after which a crashed create frees it.
 */
export const PENDING_CREATE_GRACE_MS = 30_000;

export type ServiceAccountNameState =
  { type: 'Free' } | { type: 'Reserved'; data: NameReservation };

function decide(
  command: ServiceAccountNameCommand,
  state: ServiceAccountNameState,
): ServiceAccountNameEvent[] {
  switch (command.type) {
    case 'ReserveServiceAccountName':
      return reserve(command, state);
    case 'ReleaseServiceAccountName':
      return release(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function reserve(command: ReserveServiceAccountName, state: ServiceAccountNameState) {
  const { holder, now, ...reservation } = command.data;
  if (state.type === 'Reserved') {
    if (state.data.accountId === reservation.accountId) return [];
    const beingCreated =
      holder === 'not-created' && now - state.data.reservedAt < PENDING_CREATE_GRACE_MS;
    if (holder === 'holds-name' || beingCreated) {
      throw new DomainError(
        'SERVICE_ACCOUNT.NAME_TAKEN',
        `the name ${reservation.name} is already used by another service account`,
        { name: reservation.name },
      );
    }
  }
  return [
    { type: 'ServiceAccountNameReserved' as const, data: { ...reservation, reservedAt: now } },
  ];
}

// Only the holder releases: a late release from a previous holder must not free a name that
// has since been taken by someone else.
function release(command: ReleaseServiceAccountName, state: ServiceAccountNameState) {
  if (state.type === 'Free' || state.data.accountId !== command.data.accountId) return [];
  const { orgId, name, accountId } = state.data;
  return [{ type: 'ServiceAccountNameReleased' as const, data: { orgId, name, accountId } }];
}

function evolve(
  _state: ServiceAccountNameState,
  event: ServiceAccountNameEvent,
): ServiceAccountNameState {
  switch (event.type) {
    case 'ServiceAccountNameReserved':
      return { type: 'Reserved', data: { ...event.data } };
    case 'ServiceAccountNameReleased':
      return { type: 'Free' };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const serviceAccountNameDecider: Decider<
  ServiceAccountNameCommand,
  ServiceAccountNameEvent,
  ServiceAccountNameState
> = {
  decide,
  evolve,
  initialState: () => ({ type: 'Free' }),
};
