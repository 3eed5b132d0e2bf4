export type ErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict';

// Codes are stable identifiers clients key on: add new ones, never rename. The kind is all the
// transport layer needs (400 / 403 / 404 / 409).
export const ERROR_CODES = {
  'ORGANIZATION.ALREADY_EXISTS': 'conflict',
  'ORGANIZATION.NOT_FOUND': 'not_found',
  'ROLE.ALREADY_DEFINED': 'conflict',
  'ROLE.UNKNOWN': 'invalid',
  'ROLE.EMPTY_PERMISSIONS': 'invalid',
  'ROLE.NOT_ALLOWED_FOR_SERVICE_ACCOUNTS': 'forbidden',
  'POLICY.INVALID': 'invalid',
  'MEMBER.ALREADY_EXISTS': 'conflict',
  'MEMBER.NOT_FOUND': 'not_found',
  'MEMBER.REMOVED': 'not_found',
  'MEMBER.DUPLICATE_GRANT': 'invalid',
  'SERVICE_ACCOUNT.ALREADY_EXISTS': 'conflict',
  'SERVICE_ACCOUNT.NOT_FOUND': 'not_found',
  'SERVICE_ACCOUNT.DELETED': 'conflict',
  'SERVICE_ACCOUNT.NAME_TAKEN': 'conflict',
  'SERVICE_ACCOUNT.NO_RESOURCES': 'invalid',
  'AUTH.LEAST_PRIVILEGE': 'forbidden',
  'AUTH.FORBIDDEN': 'forbidden',
  'KEY.LIMIT_REACHED': 'conflict',
  'KEY.NOT_FOUND': 'not_found',
  'KEY.ALREADY_EXISTS': 'conflict',
  'KEY.EXPIRY_IN_PAST': 'invalid',
  'KEY.LIFETIME_EXCEEDS_POLICY': 'invalid',
  'KEY.REVOKED': 'conflict',
  'KEY.EXPIRED': 'conflict',
  'KEY.ALREADY_ROTATED': 'conflict',
  'KEY.INVALID_GRACE': 'invalid',
  'WEBHOOK.NOT_FOUND': 'not_found',
  'WEBHOOK.INVALID_URL': 'invalid',
  'WEBHOOK.URL_NOT_ALLOWED': 'invalid',
  'WEBHOOK.INVALID_FILTER': 'invalid',
  'WEBHOOK.ALREADY_EXISTS': 'conflict',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function errorKindOf(code: ErrorCode): ErrorKind {
  return ERROR_CODES[code];
}
