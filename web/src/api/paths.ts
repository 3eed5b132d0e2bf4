/** The REST paths the console calls (SPEC §4). */
export const PATHS = {
  verify: '/api/auth/v1/verify',
  accounts: '/api/service-account/v1/service-account',
  account: (id: string) => `/api/service-account/v1/service-account/${encodeURIComponent(id)}`,
  accountKeys: (id: string) => `${PATHS.account(id)}/key`,
  accountKey: (id: string, keyId: string) =>
    `${PATHS.account(id)}/key/${encodeURIComponent(keyId)}`,
  rotateAccountKey: (id: string, keyId: string) => `${PATHS.accountKey(id, keyId)}/rotate`,
  revokeAllAccountKeys: (id: string) => `${PATHS.account(id)}/key/revoke-all`,
  accountUsage: (id: string) => `${PATHS.account(id)}/usage`,
  revokeByValue: '/api/key/v1/revoke-by-value',
  myKeys: '/api/me/v1/key',
  myKey: (keyId: string) => `/api/me/v1/key/${encodeURIComponent(keyId)}`,
  revokeAllMyKeys: '/api/me/v1/key/revoke-all',
  members: '/api/member/v1/member',
  member: (userId: string) => `/api/member/v1/member/${encodeURIComponent(userId)}`,
  memberKeys: (userId: string) => `${PATHS.member(userId)}/key`,
  roles: '/api/role/v1/role',
  policy: '/api/organization/v1/policy',
  audit: '/api/audit/v1/entry',
  auditExport: '/api/audit/v1/export',
  keyAt: (keyId: string) => `/api/audit/v1/key/${encodeURIComponent(keyId)}/at`,
} as const;
