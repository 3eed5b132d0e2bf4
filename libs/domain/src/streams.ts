// Stream names are built, never parsed: every event's data carries the ids it belongs to.
export const STREAM_PREFIXES = {
  organization: 'organization-',
  member: 'member-',
  serviceAccount: 'serviceAccount-',
  serviceAccountName: 'serviceAccountName-',
  webhookEndpoint: 'webhookEndpoint-',
} as const;

export function organizationStream(orgId: string): string {
  return `${STREAM_PREFIXES.organization}${orgId}`;
}

export function memberStream(orgId: string, userId: string): string {
  return `${STREAM_PREFIXES.member}${orgId}_${userId}`;
}

export function serviceAccountStream(accountId: string): string {
  return `${STREAM_PREFIXES.serviceAccount}${accountId}`;
}

// nameKey is chosen by the caller (a hash of the case-folded name), so uniqueness can be
// case-insensitive and stream names stay within the store's allowed characters.
export function serviceAccountNameStream(orgId: string, nameKey: string): string {
  return `${STREAM_PREFIXES.serviceAccountName}${orgId}_${nameKey}`;
}

export function webhookEndpointStream(endpointId: string): string {
  return `${STREAM_PREFIXES.webhookEndpoint}${endpointId}`;
}
