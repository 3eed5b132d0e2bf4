export type { Decider, DomainCommand, DomainEvent } from './decider';
export { DomainError } from './domain-error';
export { ERROR_CODES, errorKindOf, type ErrorCode, type ErrorKind } from './error-codes';
export * from './permissions';
export * from './least-privilege';
export * from './actor';
export * from './streams';
export * from './key-events';
export {
  memberLeakDecider,
  revokeLeakedKeys,
  serviceAccountLeakDecider,
  type RevokeLeakedKeys,
} from './leak-report';
export { EMPTY_KEY_RING, activeKeyCount, isKeyActive, type ApiKey, type KeyRing } from './key-ring';
export { keyAt, type HistoryEvent, type KeyAt, type KeyAtReason } from './key-at';

export * from './organization/organization-events';
export * from './organization/organization-commands';
export {
  DEFAULT_ORGANIZATION_POLICY,
  findRole,
  policyOf,
  resolveRole,
  type Organization,
  type OrganizationState,
} from './organization/organization-state';
export {
  MAX_ACTIVE_KEYS_LIMIT,
  MAX_EXPIRY_NOTICE_SECONDS,
  MAX_KEY_LIFETIME_SECONDS,
  MIN_KEY_LIFETIME_SECONDS,
} from './organization/organization-policy';
export { organizationDecider } from './organization/organization-decider';

export * from './member/member-events';
export * from './member/member-commands';
export type { Member, MemberState } from './member/member-state';
export { memberDecider } from './member/member-decider';
export { actorOfMember } from './member/member-actor';

export * from './service-account/service-account-events';
export * from './service-account/service-account-commands';
export type {
  KnownServiceAccount,
  ServiceAccount,
  ServiceAccountState,
} from './service-account/service-account-state';
export { serviceAccountDecider } from './service-account/service-account-decider';
export { mayManageServiceAccount } from './service-account/service-account-access';
export { actorOfServiceAccount } from './service-account/service-account-actor';

export * from './service-account-name/service-account-name-messages';
export {
  PENDING_CREATE_GRACE_MS,
  serviceAccountNameDecider,
  type NameReservation,
  type ServiceAccountNameState,
} from './service-account-name/service-account-name-decider';

export * from './webhook/webhook-events';
export * from './webhook/webhook-commands';
export type { WebhookEndpoint, WebhookEndpointState } from './webhook/webhook-state';
export { WEBHOOK_LAST_ERROR_MAX_LENGTH, webhookEndpointDecider } from './webhook/webhook-decider';

export * from './events/keyward-event';
export * from './events/event-metadata';
export { EVENT_SCHEMA_VERSIONS, schemaVersionOf } from './events/schema-versions';
export {
  CorruptEventError,
  decodeEvent,
  type Decoded,
  type StoredEvent,
} from './events/decode-event';
