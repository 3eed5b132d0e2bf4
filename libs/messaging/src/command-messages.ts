/**
 * Request and reply bodies of the command subjects. Times on the wire are epoch seconds
 * (seed 003's API); every request may pin `orgId`, which must be the caller's own.
 */
export interface OrgScoped {
  orgId?: string;
}

export interface GrantRequest {
  resource: string;
  role: string;
}

export interface BootstrapOrganizationRequest {
  orgId?: string;
  name: string;
  admin: { userId: string; displayName: string };
}

export interface IssuedKeyReply {
  keyId: string;
  created: number;
  /** Present once, in the reply that created the key; absent when a retry is answered. */
  secret?: string;
  hint: string;
  expiresAt: number | null;
  /** True when this answers a retried request (same Idempotency-Key): the secret is not shown again. */
  replayed?: boolean;
}

export interface BootstrapOrganizationReply {
  orgId: string;
  adminUserId: string;
  key: IssuedKeyReply;
}

export interface DefineRoleRequest extends OrgScoped {
  name: string;
  permissions: string[];
}

export interface SetOrganizationPolicyRequest extends OrgScoped {
  maxActiveKeysPerPrincipal?: number;
  maxKeyLifetimeSeconds?: number | null;
  allowedServiceAccountRoles?: string[] | null;
  /** Null: back to the deployment default; 0: no `key.expiring_soon` notice. */
  expiryNoticeSeconds?: number | null;
}

export interface OrganizationPolicyReply {
  maxActiveKeysPerPrincipal: number;
  maxKeyLifetimeSeconds: number | null;
  allowedServiceAccountRoles: string[] | null;
  /** How long before a key's expiry its `key.expiring_soon` notice goes out; null: the default. */
  expiryNoticeSeconds: number | null;
}

export interface AddMemberRequest extends OrgScoped {
  userId: string;
  displayName: string;
  orgRole?: 'admin' | 'member';
  grants: GrantRequest[];
}

export interface ChangeMemberGrantsRequest extends OrgScoped {
  userId: string;
  orgRole?: 'admin' | 'member';
  grants: GrantRequest[];
}

export interface RemoveMemberRequest extends OrgScoped {
  userId: string;
}

export interface MemberReply {
  userId: string;
  displayName: string;
  orgRole: 'admin' | 'member';
  grants: { resource: string; role: string; permissions: string[] }[];
}

export interface CreateServiceAccountRequest extends OrgScoped {
  name: string;
  description?: string;
  enableBasicAuth?: boolean;
  role?: string;
  resources?: string[];
}

export interface ServiceAccountReply {
  id: string;
  name: string;
  description: string;
  enableBasicAuth: boolean;
  role: string;
  permissions: string[];
  resources: string[];
  created: number;
  keys: { keyId: string; created: number }[];
}

export interface UpdateServiceAccountRequest extends OrgScoped {
  id: string;
  name?: string;
  description?: string;
}

export interface DeleteServiceAccountRequest extends OrgScoped {
  id: string;
}

export interface IssueKeyFields {
  name?: string;
  description?: string;
  /** Epoch seconds. */
  expiresAt?: number;
}

export interface IssueServiceAccountKeyRequest extends OrgScoped, IssueKeyFields {
  id: string;
}

export interface IssuePersonalKeyRequest extends OrgScoped, IssueKeyFields {
  /** Another member (org admins only, e.g. a new member's first key); defaults to the caller. */
  userId?: string;
}

/**
 * A rotation (docs/product-rules.md rule 10): issue a successor to `keyId` and end `keyId` after
 * the grace. The other fields are the successor's, as for issuing.
 */
export interface KeyRotationFields extends IssueKeyFields {
  keyId: string;
  /** How long the old key keeps working: 0 (stops at once) or more; default 86,400 (24 h). */
  graceSeconds?: number;
}

/** `kw.cmd.service-account.rotate-key`: one of the account's keys. */
export interface RotateServiceAccountKeyRequest extends OrgScoped, KeyRotationFields {
  id: string;
}

/** `kw.cmd.member.rotate-key`: one of the caller's personal keys, or another member's. */
export interface RotatePersonalKeyRequest extends OrgScoped, KeyRotationFields {
  /** Another member's key (org admins only); defaults to the caller. */
  userId?: string;
}

/** The successor (its secret shown once) and the old key's new expiry (epoch seconds). */
export interface RotatedKeyReply extends IssuedKeyReply {
  previous: { keyId: string; expiresAt: number };
}

export type RevocationReason = 'manual' | 'revoke_all' | 'leaked' | 'expired';

export interface RevokeServiceAccountKeyRequest extends OrgScoped {
  id: string;
  keyId: string;
  reason?: RevocationReason;
}

export interface RevokeAllServiceAccountKeysRequest extends OrgScoped {
  id: string;
  reason?: RevocationReason;
}

export interface RevokePersonalKeyRequest extends OrgScoped {
  keyId: string;
  /** Another member's key (org admins only); defaults to the caller. */
  userId?: string;
  reason?: RevocationReason;
}

export interface RevokeAllPersonalKeysRequest extends OrgScoped {
  userId?: string;
  reason?: RevocationReason;
}

export interface RevokeKeyByValueRequest extends OrgScoped {
  key: string;
  reason?: RevocationReason;
}

/** Most values one leak report may carry (docs/product-rules.md rule 11). */
export const LEAK_REPORT_MAX_KEYS = 1000;

/**
 * `kw.cmd.key.report-leaked`: values someone found exposed (rule 11). No credential: each
 * well-formed value that is an active key is revoked with reason `leaked`.
 */
export interface ReportLeakedKeysRequest {
  /** 0 to LEAK_REPORT_MAX_KEYS strings; any value that is not a Keyward key is counted as malformed. */
  keys: string[];
}

/** The same for any batch of the same values, whether or not any of them existed. */
export interface LeakReportReply {
  /** Values in the report. */
  received: number;
  /** Of those, values that are not Keyward keys (prefix, length or checksum); never echoed. */
  malformed: number;
}

export interface RevocationReply {
  revokedKeyIds: string[];
  /**
   * A store position (decimal string, docs/decisions/0004) that every live verifier node had
   * applied when this reply was sent — or, for a node that was not serving, will have applied
   * before it serves again (G1). It is the revocation's own position, or, when nothing was
   * appended (every key already revoked), the store's head when the revoke was confirmed. So
   * any verify or authorize answer that names a position at or above it was decided with the
   * revocation applied, on any node. Null only for an empty store.
   */
  position: string | null;
}
