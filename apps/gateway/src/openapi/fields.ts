import type { ApiPropertyOptions } from '@nestjs/swagger';
import {
  AUDIT_ACTIONS,
  FIELD_BOUNDS,
  ID_PATTERNS,
  PERMISSION_NAMES,
  TEXT_LIMITS,
  type KeyStatus,
  type MemberStatus,
  type RevocationReason,
  type ServiceAccountStatus,
} from '@keyward/messaging';

/**
 * The constraints of every field the services validate (libs/transport/src/request-fields.ts),
 * described for the OpenAPI document from the same constants, so the document cannot drift
 * from what the services decide. The gateway itself validates none of them.
 */

/** Every member of a string union, checked by the compiler in both directions. */
function membersOf<T extends string>(all: Record<T, true>): T[] {
  return Object.keys(all) as T[];
}

export const REVOCATION_REASONS = membersOf<RevocationReason>({
  manual: true,
  revoke_all: true,
  leaked: true,
  expired: true,
});
export const SERVICE_ACCOUNT_STATUSES = membersOf<ServiceAccountStatus | 'all'>({
  active: true,
  deleted: true,
  all: true,
});
export const MEMBER_STATUSES = membersOf<MemberStatus | 'all'>({
  active: true,
  removed: true,
  all: true,
});
export const KEY_STATUSES = membersOf<KeyStatus | 'all'>({
  active: true,
  revoked: true,
  expired: true,
  all: true,
});
export const ORG_ROLES = membersOf<'admin' | 'member'>({ admin: true, member: true });
export const PERMISSIONS = [...PERMISSION_NAMES];
export const AUDIT_ACTION_NAMES = [...AUDIT_ACTIONS];

/** Longest cursor (`Cursor()` in request-fields.ts). */
export const CURSOR_MAX_LENGTH = 2000;
/** Longest key value `revoke-by-value` takes (its request DTO). */
export const KEY_VALUE_MAX_LENGTH = 200;
/** Most resources of a service account, grants of a member, roles of a policy. */
export const LIST_MAX_ITEMS = 100;
/** `Idempotency-Key`: 1 to 255 printable ASCII characters (the command service's rule). */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7e]{1,255}$';
/** An audit entry id, as `after` takes it (the projector's QueryAuditRequestDto). */
export const AUDIT_ENTRY_ID_PATTERN = '^(ev|us)_\\d{1,19}$';
/** `X-Request-Id` the gateway keeps (apps/gateway/src/http/edge-call.ts); else it makes one. */
export const REQUEST_ID_PATTERN = '^[\\x21-\\x7e]{1,200}$';

const NAME_RULES =
  'Normalised to Unicode NFC, then at most {max} characters; no control, format or invisible ' +
  'characters (C0/C1 controls, bidi marks and overrides, zero-width characters, U+2028/2029).';

function nameRules(max: number): string {
  return NAME_RULES.replace('{max}', String(max));
}

/** A required display name: not blank, spaces kept as sent. */
export function name(description: string, max: number = TEXT_LIMITS.name): ApiPropertyOptions {
  return {
    type: 'string',
    minLength: 1,
    maxLength: max,
    pattern: '\\S',
    description: `${description}. ${nameRules(max)} Must not be blank.`,
  };
}

/** An optional name-like field (key name, name prefix, audit filter). */
export function optionalName(
  description: string,
  max: number = TEXT_LIMITS.name,
): ApiPropertyOptions {
  return {
    type: 'string',
    required: false,
    maxLength: max,
    description: `${description}. ${nameRules(max)}`,
  };
}

/** The same as a query parameter's schema. */
export function nameFilter(description: string, max: number = TEXT_LIMITS.name) {
  return { type: 'string', maxLength: max, description: `${description}. ${nameRules(max)}` };
}

export function optionalDescription(): ApiPropertyOptions {
  return {
    type: 'string',
    required: false,
    maxLength: TEXT_LIMITS.description,
    description:
      `Free text. Normalised to Unicode NFC, then at most ${TEXT_LIMITS.description} ` +
      'characters; newline and tab allowed, no other control, format or invisible character.',
  };
}

export function pattern(regex: RegExp): string {
  return regex.source;
}

export const ID = {
  orgId: {
    type: 'string',
    pattern: pattern(ID_PATTERNS.orgId),
    example: 'acme',
    description: 'Organization id: lowercase letters, digits and dashes',
  },
  userId: {
    type: 'string',
    pattern: pattern(ID_PATTERNS.userId),
    example: 'alice',
    description: 'Member id: 1-64 letters, digits, dashes or underscores',
  },
  accountId: {
    type: 'string',
    pattern: pattern(ID_PATTERNS.accountId),
    example: 'sa_0123456789abcdef0123456789abcdef',
    description: 'Service account id: sa_ and 32 hex digits',
  },
  keyId: {
    type: 'string',
    pattern: pattern(ID_PATTERNS.keyId),
    example: 'key_0123456789abcdef0123456789abcdef',
    description: 'Key id: key_ and 32 hex digits',
  },
  roleName: {
    type: 'string',
    pattern: pattern(ID_PATTERNS.roleName),
    example: 'reader',
    description: 'Role name: 1-40 lowercase letters, digits, dashes or underscores',
  },
  endpointId: {
    type: 'string',
    pattern: pattern(ID_PATTERNS.endpointId),
    example: 'whe_0123456789abcdef0123456789abcdef',
    description: 'Webhook endpoint id: whe_ and 32 hex digits',
  },
  resource: {
    type: 'string',
    pattern: pattern(ID_PATTERNS.resource),
    example: 'db:analytics',
    description: '`*` or a resource id like db:analytics',
  },
} as const satisfies Record<string, ApiPropertyOptions>;

/** Epoch seconds as a request field or query parameter takes them. */
export const EPOCH_SECONDS_SCHEMA = {
  type: 'integer' as const,
  format: 'int64',
  minimum: FIELD_BOUNDS.epochSeconds.min,
  maximum: FIELD_BOUNDS.epochSeconds.max,
};

export function epochSeconds(description: string): ApiPropertyOptions {
  return {
    ...EPOCH_SECONDS_SCHEMA,
    description: `${description} (epoch seconds, a whole number up to 9999-12-31T23:59:59Z)`,
  };
}

/** A time in a reply: epoch seconds. */
export function time(description: string, nullable = false): ApiPropertyOptions {
  return {
    type: 'integer',
    format: 'int64',
    description: `${description} (epoch seconds)`,
    ...(nullable ? { nullable: true } : {}),
  };
}

export function bounded(
  bounds: { readonly min: number; readonly max: number },
  description: string,
  nullable = false,
): ApiPropertyOptions {
  return {
    type: 'integer',
    format: 'int64',
    minimum: bounds.min,
    maximum: bounds.max,
    description: `${description}: a whole number from ${bounds.min} to ${bounds.max}`,
    ...(nullable ? { nullable: true } : {}),
  };
}
