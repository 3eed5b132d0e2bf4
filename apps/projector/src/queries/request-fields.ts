import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { QUERY_LIMITS } from '@keyward/messaging';

/** The same id rules as the command service, so a query refuses what a command would. */
export const ID_PATTERNS = {
  orgId: /^[a-z0-9][a-z0-9-]{0,62}$/,
  userId: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
  accountId: /^sa_[0-9a-f]{32}$/,
} as const;

export const OptionalOrgId = () =>
  applyDecorators(
    IsOptional(),
    IsString(),
    Matches(ID_PATTERNS.orgId, { message: 'orgId must be lowercase letters, digits and dashes' }),
  );

export const AccountId = () =>
  applyDecorators(
    IsString(),
    Matches(ID_PATTERNS.accountId, { message: 'id must be a service account id (sa_ + 32 hex)' }),
  );

export const OptionalUserId = () =>
  applyDecorators(
    IsOptional(),
    IsString(),
    Matches(ID_PATTERNS.userId, {
      message: 'userId must be 1-64 letters, digits, dashes or underscores',
    }),
  );

export const PageLimit = () =>
  applyDecorators(IsOptional(), IsInt(), Min(1), Max(QUERY_LIMITS.maxPageSize));

export const Cursor = () => applyDecorators(IsOptional(), IsString(), MaxLength(2000));

export const OptionalOneOf = (values: readonly string[]) =>
  applyDecorators(IsOptional(), IsIn(values as string[]));

export const OptionalText = (max: number) =>
  applyDecorators(IsOptional(), IsString(), MaxLength(max));

export const OptionalEpochSeconds = () => applyDecorators(IsOptional(), IsInt(), Min(0));
