/**
 * The REST API's bodies, as the services define them (type-only imports: nothing of the
 * server's code is bundled), plus the few shapes that exist only at the HTTP edge.
 */
export type {
  AuditEntryView,
  KeyAtView,
  KeyView,
  MemberView,
  Page,
  PrincipalView,
  RoleView,
  ServiceAccountView,
  ServiceAccountWithKeysView,
} from '../../../libs/messaging/src/query-messages';
export type {
  WebhookAttemptView,
  WebhookDeliveryView,
  WebhookEndpointCreatedReply,
  WebhookEndpointView,
} from '../../../libs/messaging/src/webhook-messages';
export type { VerifiedKey, Permission } from '../../../libs/messaging/src/verify-messages';
export type {
  IssuedKeyReply,
  OrganizationPolicyReply,
  RevocationReply,
  RotatedKeyReply,
} from '../../../libs/messaging/src/command-messages';

/** Every refusal's body (SPEC §4). */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: { field: string; problem: string }[];
}

/** `POST /api/auth/v1/verify` for a key that is not valid. */
export interface InvalidKey {
  valid: false;
  reason: string;
}
