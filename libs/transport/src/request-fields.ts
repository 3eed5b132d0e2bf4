import { applyDecorators } from '@nestjs/common';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ID_PATTERNS, QUERY_LIMITS } from '@keyward/messaging';

/**
 * Field rules shared by request DTOs of every service, so an id or a page is validated the same
 * way everywhere: a query refuses what a command would.
 */
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

export const KeyId = () =>
  applyDecorators(
    IsString(),
    Matches(ID_PATTERNS.keyId, { message: 'keyId must be key_ + 32 hex' }),
  );

export const UserId = () =>
  applyDecorators(
    IsString(),
    Matches(ID_PATTERNS.userId, {
      message: 'userId must be 1-64 letters, digits, dashes or underscores',
    }),
  );

export const RoleName = () =>
  applyDecorators(
    IsString(),
    Matches(ID_PATTERNS.roleName, {
      message: 'role must be 1-40 lowercase letters, digits, dashes or underscores',
    }),
  );

export const ResourceList = () =>
  applyDecorators(
    IsString({ each: true }),
    Matches(ID_PATTERNS.resource, {
      each: true,
      message: 'each resource must be * or an id like db:analytics',
    }),
    ArrayMaxSize(100),
  );

export const DisplayName = (max = 100) =>
  applyDecorators(
    IsString(),
    MinLength(1),
    MaxLength(max),
    Matches(/\S/, { message: '$property must not be blank' }),
  );

export const OptionalText = (max: number) =>
  applyDecorators(IsOptional(), IsString(), MaxLength(max));

export const OptionalReason = () =>
  applyDecorators(IsOptional(), IsIn(['manual', 'revoke_all', 'leaked', 'expired']));

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

export const OptionalEpochSeconds = () => applyDecorators(IsOptional(), IsInt(), Min(0));
