import { DomainError } from '../domain-error';
import type { OrganizationPolicy } from './organization-events';
import { resolveRole, type OrganizationState } from './organization-state';

export const MAX_ACTIVE_KEYS_LIMIT = 10_000;
export const MIN_KEY_LIFETIME_SECONDS = 60;
/** 100 years of 365 days: a longer limit would be no limit, and past 2^53 not a number at all. */
export const MAX_KEY_LIFETIME_SECONDS = 3_153_600_000;
/** 365 days: a key's "expiring soon" notice at most a year ahead. */
export const MAX_EXPIRY_NOTICE_SECONDS = 31_536_000;

// Returns the policy as it will be stored: allowed roles deduplicated, order kept.
export function validatePolicy(
  state: OrganizationState,
  policy: OrganizationPolicy,
): OrganizationPolicy {
  const { maxActiveKeysPerPrincipal: maxKeys, maxKeyLifetimeSeconds: lifetime } = policy;
  if (!Number.isInteger(maxKeys) || maxKeys < 1 || maxKeys > MAX_ACTIVE_KEYS_LIMIT) {
    throw invalid(
      `max active keys per principal must be a whole number from 1 to ${MAX_ACTIVE_KEYS_LIMIT}, got ${maxKeys}`,
    );
  }
  if (
    lifetime !== null &&
    (!Number.isInteger(lifetime) ||
      lifetime < MIN_KEY_LIFETIME_SECONDS ||
      lifetime > MAX_KEY_LIFETIME_SECONDS)
  ) {
    throw invalid(
      `max key lifetime must be none or a whole number of seconds from ${MIN_KEY_LIFETIME_SECONDS} to ${MAX_KEY_LIFETIME_SECONDS}, got ${lifetime}`,
    );
  }
  const notice = policy.expiryNoticeSeconds;
  if (
    notice !== null &&
    (!Number.isInteger(notice) || notice < 0 || notice > MAX_EXPIRY_NOTICE_SECONDS)
  ) {
    throw invalid(
      `expiry notice must be the default (null) or a whole number of seconds from 0 to ${MAX_EXPIRY_NOTICE_SECONDS}, got ${notice}`,
    );
  }
  const allowed = policy.allowedServiceAccountRoles;
  if (allowed === null) return { ...policy };
  allowed.forEach((role) => resolveRole(state, role));
  return { ...policy, allowedServiceAccountRoles: [...new Set(allowed)] };
}

export function samePolicy(a: OrganizationPolicy, b: OrganizationPolicy): boolean {
  const roles = (policy: OrganizationPolicy) =>
    policy.allowedServiceAccountRoles?.join('\n') ?? null;
  return (
    a.maxActiveKeysPerPrincipal === b.maxActiveKeysPerPrincipal &&
    a.maxKeyLifetimeSeconds === b.maxKeyLifetimeSeconds &&
    a.expiryNoticeSeconds === b.expiryNoticeSeconds &&
    roles(a) === roles(b)
  );
}

function invalid(message: string): DomainError {
  return new DomainError('POLICY.INVALID', message);
}
