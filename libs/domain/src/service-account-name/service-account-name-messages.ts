import type { DomainCommand, DomainEvent } from '../decider';

export type ServiceAccountNameReserved = DomainEvent<
  'ServiceAccountNameReserved',
  { orgId: string; name: string; accountId: string }
>;

export type ServiceAccountNameReleased = DomainEvent<
  'ServiceAccountNameReleased',
  { orgId: string; name: string; accountId: string }
>;

export type ServiceAccountNameEvent = ServiceAccountNameReserved | ServiceAccountNameReleased;

// holderStillHoldsName is read by the caller from the current holder's own stream (active and
// still named so). That makes a reservation left by a crashed create or a rename self-healing.
export type ReserveServiceAccountName = DomainCommand<
  'ReserveServiceAccountName',
  { orgId: string; name: string; accountId: string; holderStillHoldsName: boolean }
>;

export type ReleaseServiceAccountName = DomainCommand<
  'ReleaseServiceAccountName',
  { orgId: string; name: string; accountId: string }
>;

export type ServiceAccountNameCommand = ReserveServiceAccountName | ReleaseServiceAccountName;
