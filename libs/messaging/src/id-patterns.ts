/** What ids look like on the wire; every service refuses anything else before using it. */
export const ID_PATTERNS = {
  orgId: /^[a-z0-9][a-z0-9-]{0,62}$/,
  userId: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
  accountId: /^sa_[0-9a-f]{32}$/,
  keyId: /^key_[0-9a-f]{32}$/,
  endpointId: /^whe_[0-9a-f]{32}$/,
  roleName: /^[a-z][a-z0-9_-]{0,39}$/,
  resource: /^(\*|[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,199})$/,
} as const;
