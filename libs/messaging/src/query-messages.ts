/**
 * Query subjects answered by the projector from its read models, and their bodies. Every query
 * authenticates the caller's Authorization header through `kw.verify` and reads only the
 * caller's organization; `orgId`, when given, must be the caller's own. Times are epoch seconds.
 * Lists are pages: pass back `nextCursor` (opaque, bound to the organization and the filters)
 * until it is null.
 */
export const QUERY_SUBJECTS = {
  listServiceAccounts: 'kw.query.service-account.list',
  getServiceAccount: 'kw.query.service-account.get',
  serviceAccountUsage: 'kw.query.service-account.usage',
  listPersonalKeys: 'kw.query.member.list-keys',
  listMembers: 'kw.query.member.list',
  listRoles: 'kw.query.role.list',
  getOrganizationPolicy: 'kw.query.organization.policy',
  queryAudit: 'kw.query.audit.query',
  exportAudit: 'kw.query.audit.export',
  keyAt: 'kw.query.audit.key-at',
} as const;

export type QuerySubject = (typeof QUERY_SUBJECTS)[keyof typeof QUERY_SUBJECTS];

/** Every projector replica answers queries from its own copy of the read models. */
/** Every query subject, for permissions and subscriptions. */
export const ALL_QUERY_SUBJECTS = 'kw.query.>';

export const PROJECTOR_QUEUE_GROUP = 'keyward-projector';

export const PROJECTOR_HEALTH_SUBJECT = 'kw.health.projector';

export const QUERY_LIMITS = {
  defaultPageSize: 100,
  maxPageSize: 1000,
  /** An export page stops early once its NDJSON reaches this size, to stay under NATS's max payload. */
  maxExportPageBytes: 512 * 1024,
  /** Days of a key-usage series when `days` is not given (see FIELD_BOUNDS.usageDays). */
  defaultUsageDays: 14,
  maxUsageDays: 90,
} as const;

export interface PageRequest {
  orgId?: string;
  /** 1 to 1000; default 100. */
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export interface PrincipalView {
  kind: 'member' | 'serviceAccount';
  id: string;
  /** Current name, or null if it never existed in this organization's read model. */
  name: string | null;
  /** Whether the principal is active now (a removed member or deleted account is not). */
  active: boolean;
}

/** How the audit log names an anonymous leak report (docs/product-rules.md rule 11). */
export const LEAK_REPORT_ACTOR_NAME = 'leak report';

/**
 * Who acted: a principal, the operator (bootstrap), a leak report at `POST /api/key/v1/leaked`
 * (anonymous: the entry's `source.ip` and user agent say who sent it), or Keyward itself
 * (`system`: a webhook endpoint disabled because its deliveries kept failing).
 */
export type ActorView =
  | PrincipalView
  | { kind: 'operator'; id: null; name: 'operator'; active: null }
  | { kind: 'leakReport'; id: null; name: typeof LEAK_REPORT_ACTOR_NAME; active: null }
  | { kind: 'system'; id: null; name: 'system'; active: null };

export type KeyStatus = 'active' | 'revoked' | 'expired';

export interface KeyView {
  keyId: string;
  owner: { kind: 'member' | 'serviceAccount'; id: string };
  name: string;
  description: string;
  /** Prefix and last four characters; the key's hash never leaves the store. */
  hint: string;
  status: KeyStatus;
  created: number;
  createdBy: { kind: string; id: string | null };
  expiresAt: number | null;
  /** From the verifiers' usage rollups: last accepted use, accepted and refused counts. */
  lastUsed: number | null;
  uses: number;
  refused: number;
  lastRefused: number | null;
  revoked: { at: number; by: { kind: string; id: string | null }; reason: string } | null;
  /** Rotation (docs/product-rules.md rule 10): the key this one replaced, or null. */
  succeeds: string | null;
  /** Rotation: the key that replaced this one (this key then expires after the grace), or null. */
  succeededBy: string | null;
}

export type ServiceAccountStatus = 'active' | 'deleted';

export interface ServiceAccountView {
  id: string;
  name: string;
  description: string;
  enableBasicAuth: boolean;
  role: string;
  permissions: string[];
  resources: string[];
  status: ServiceAccountStatus;
  created: number;
  createdBy: { kind: string; id: string | null };
  updated: number;
  deleted: number | null;
  activeKeys: number;
  /** The latest accepted use of any of its keys (usage rollups), or null if none was used. */
  lastUsed: number | null;
}

export interface ServiceAccountWithKeysView extends ServiceAccountView {
  keys: KeyView[];
}

export interface ListServiceAccountsRequest extends PageRequest {
  /** Default `active`. */
  status?: ServiceAccountStatus | 'all';
  /** Case-insensitive prefix of the name. */
  namePrefix?: string;
}

export interface GetServiceAccountRequest {
  orgId?: string;
  id: string;
}

export interface ServiceAccountUsageRequest {
  orgId?: string;
  id: string;
  /** How many UTC days, ending today: 1 to 90, default 14. */
  days?: number;
}

/** One key's series, aligned with `ServiceAccountUsageView.days`. */
export interface KeyDailyUsageView {
  keyId: string;
  name: string;
  /** Prefix and last four characters; never the hash or the secret. */
  hint: string;
  status: KeyStatus;
  /** Accepted uses per day. */
  uses: number[];
  /** Refused attempts (revoked, expired, account deleted) per day. */
  refused: number[];
}

/**
 * Uses and refused attempts per UTC day of every key of a service account (all statuses,
 * oldest key first), from the verifiers' usage rollups: each rollup counts on the UTC day of
 * its window's end, so counts are at most one flush window (KEYWARD_USAGE_FLUSH_MS) late.
 */
export interface ServiceAccountUsageView {
  /** Epoch seconds of each day's UTC midnight, oldest first; the last one is today. */
  days: number[];
  keys: KeyDailyUsageView[];
}

export interface ListPersonalKeysRequest extends PageRequest {
  /** Another member's keys (org admins only); defaults to the caller. */
  userId?: string;
  /** Default `all`. */
  status?: KeyStatus | 'all';
}

export type MemberStatus = 'active' | 'removed';

export interface MemberView {
  userId: string;
  displayName: string;
  orgRole: 'admin' | 'member';
  grants: { resource: string; role: string; permissions: string[] }[];
  status: MemberStatus;
  added: number;
  removed: number | null;
  activeKeys: number;
}

export interface ListMembersRequest extends PageRequest {
  /** Default `active`. */
  status?: MemberStatus | 'all';
}

export interface RoleView {
  name: string;
  permissions: string[];
  builtIn: boolean;
  /** Null for built-in roles. */
  defined: number | null;
}

export interface ListRolesRequest {
  orgId?: string;
}

export interface AuditFilter {
  orgId?: string;
  /** A principal id (member user id or service account id), `operator`, `leakReport` or `system`. */
  actor?: string;
  /** A target id: service account, member, key, role, organization or webhook endpoint; key entries also match their owner. */
  target?: string;
  /** e.g. `key.revoked`; see AUDIT_ACTIONS. */
  action?: string;
  /** Epoch seconds, inclusive. */
  from?: number;
  /** Epoch seconds, exclusive. */
  to?: number;
}

export const AUDIT_ACTIONS = [
  'organization.created',
  'organization.role_defined',
  'organization.policy_set',
  'member.added',
  'member.grants_changed',
  'member.removed',
  'service_account.created',
  'service_account.updated',
  'service_account.deleted',
  'service_account.name_reserved',
  'service_account.name_released',
  'key.issued',
  'key.revoked',
  'key.rotated',
  'key.refused_attempts',
  'webhook.endpoint_registered',
  'webhook.endpoint_updated',
  'webhook.endpoint_disabled',
  'webhook.endpoint_enabled',
  'webhook.endpoint_deleted',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntryView {
  /** `ev_<position>` for an event, `us_<sequence>` for a usage rollup with refused attempts. */
  id: string;
  time: number;
  occurredAt: string;
  orgId: string;
  action: string;
  actor: ActorView;
  target: {
    kind: string;
    id: string;
    /** As of that moment. */
    name: string | null;
    /** Key entries: the key's owner. */
    owner: PrincipalView | null;
    /** Principal targets: whether it is active now; null for other targets. */
    active: boolean | null;
  };
  source: { ip: string | null; userAgent: string | null; channel: string | null };
  correlationId: string | null;
  causationId: string | null;
  eventId: string | null;
  eventType: string | null;
  /** Store position (decimal string) of the event; null for usage entries. */
  position: string | null;
  details: Record<string, unknown>;
}

export interface AuditQueryRequest extends AuditFilter {
  limit?: number;
  cursor?: string;
  /** Start after this entry id (`ev_…` / `us_…`): how an interrupted export resumes. */
  after?: string;
}

export type AuditExportRequest = AuditQueryRequest;

/**
 * One page of an export: newline-delimited JSON, one AuditEntryView per line, newest first.
 * Ask again with `nextCursor` until it is null; each page is at most `limit` entries and
 * about QUERY_LIMITS.maxExportPageBytes, so an export of any size streams in bounded pages.
 */
export interface AuditExportPage {
  ndjson: string;
  count: number;
  nextCursor: string | null;
}

export interface ProjectorHealthReply {
  service: 'projector';
  pid: number;
  /** Position of the last applied event (decimal string), null before the first. */
  position: string | null;
  /** Sequence of the last applied usage rollup. */
  usageSequence: number;
  caughtUp: boolean;
}

/** `kw.query.audit.key-at` (rule 12, org admins): was this key valid at `time`, and why. */
export interface KeyAtRequest {
  orgId?: string;
  keyId: string;
  /** Epoch seconds: the instant `time`.000 UTC. */
  time: number;
}

/** The stored event that made a point-in-time answer what it is. */
export interface DecidingEventView {
  eventId: string;
  eventType: string;
  /** Store position (decimal string). */
  position: string;
  /** Epoch seconds (floor) and the exact ISO 8601 time it occurred. */
  time: number;
  occurredAt: string;
}

export interface KeyAtView {
  keyId: string;
  orgId: string;
  /** The instant asked about, epoch seconds. */
  time: number;
  valid: boolean;
  /** Null when valid. */
  reason: 'not_issued_yet' | 'revoked' | 'expired' | 'account_deleted' | 'member_removed' | null;
  /** A revoked key's recorded reason (`manual`, `leaked`, `account_deleted`, …). */
  revocationReason: string | null;
  principal: PrincipalView;
  /** A service account's role then; null for a member. */
  role: string | null;
  permissions: string[];
  resources: string[];
  /** A member's grants then; null for a service account. */
  grants: { resource: string; role: string; permissions: string[] }[] | null;
  /** Its expiry as it stood then (epoch seconds), null for none. */
  expiresAt: number | null;
  /** Its successor, once it had been rotated by then. */
  successorKeyId: string | null;
  /** Null only when the key had not been issued yet. */
  decidedBy: DecidingEventView | null;
}
