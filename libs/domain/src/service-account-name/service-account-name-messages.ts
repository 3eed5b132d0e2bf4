import type { DomainCommand, DomainEvent } from '../decider';

// reservedAt (epoch ms, the command's clock): a reservation whose account was never created
// stops counting after a grace period, decided by the name decider (schema version 2).
export type ServiceAccountNameReserved = DomainEvent<
  'ServiceAccountNameReserved',
  { orgId: string; name: string; accountId: string; reservedAt: number }
>;

export type ServiceAccountNameReleased = DomainEvent<
  'ServiceAccountNameReleased',
  { orgId: string; name: string; accountId: string }
>;

export type ServiceAccountNameEvent = ServiceAccountNameReserved | ServiceAccountNameReleased;

/**
 * What the current holder's own stream says, read by the caller: it still holds the name
 * (active and still named so), it has moved on (deleted or renamed), or its stream does not
 * exist yet (created after the reservation, or never: a crashed create). That makes a
 * reservation left by a crashed create or a rename self-healing.
 */
export type NameHolderStatus = 'holds-name' | 'moved-on' | 'not-created';

export type ReserveServiceAccountName = DomainCommand<
  'ReserveServiceAccountName',
  { orgId: string; name: string; accountId: string; holder: NameHolderStatus; now: number }
>;

export type ReleaseServiceAccountName = DomainCommand<
  'ReleaseServiceAccountName',
  { orgId: string; name: string; accountId: string }
>;

export type ServiceAccountNameCommand = ReserveServiceAccountName | ReleaseServiceAccountName;
