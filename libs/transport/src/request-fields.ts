import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import { FIELD_BOUNDS, ID_PATTERNS, TEXT_LIMITS } from '@keyward/messaging';

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

export const EndpointId = () =>
  applyDecorators(
    IsString(),
    Matches(ID_PATTERNS.endpointId, {
      message: 'endpointId must be a webhook endpoint id (whe_ + 32 hex)',
    }),
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

/**
 * Control (Cc: NUL, ESC, DEL, C1), format (Cf: bidi overrides and isolates, LRM/RLM, ALM,
 * zero-width space/joiners, word joiner, BOM, soft hyphen), lone surrogates (Cs) and the line
 * and paragraph separators (Zl, Zp): characters that are invisible or reorder what is shown, so
 * two names that look identical can differ, or a name can hide what follows it.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Descriptions may span lines: newline and tab are the only controls they may hold. */
const TEXT_WHITESPACE = new Set(['\n', '\t']);

/**
 * The first character of `value` a name (or, with `allowLineBreaks`, a description) must not
 * hold, as `U+XXXX at position N` (N counts characters from 1), or null when there is none.
 */
export function findInvisibleCharacter(value: string, allowLineBreaks = false): string | null {
  let position = 0;
  // for..of walks code points; a lone surrogate comes out on its own and matches \p{Cs}.
  for (const char of value) {
    position += 1;
    if (allowLineBreaks && TEXT_WHITESPACE.has(char)) continue;
    if (INVISIBLE.test(char)) {
      const code = (char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
      return `U+${code} at position ${position}`;
    }
  }
  return null;
}

const NoInvisibleCharacters = (allowLineBreaks: boolean) =>
  ValidateBy({
    name: allowLineBreaks ? 'textCharacters' : 'nameCharacters',
    validator: {
      validate: (value: unknown) =>
        typeof value !== 'string' || findInvisibleCharacter(value, allowLineBreaks) === null,
      defaultMessage: (args?: ValidationArguments) => {
        const found = findInvisibleCharacter(String(args?.value ?? ''), allowLineBreaks);
        return `${args?.property ?? 'value'} must not contain control or invisible characters (${found})`;
      },
    },
  });

/** Strings are compared, stored and measured in Unicode NFC, so NFC/NFD twins are one name. */
const NormalizeNfc = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.normalize('NFC') : value,
  );

/**
 * A required name (service account, organization, member display name): NFC, 1 to `max`
 * characters, not blank, no control or invisible characters. Leading and trailing spaces are
 * kept as sent, never trimmed.
 */
export const SafeName = (max: number = TEXT_LIMITS.name) =>
  applyDecorators(
    NormalizeNfc(),
    IsString(),
    MinLength(1),
    MaxLength(max),
    Matches(/\S/, { message: '$property must not be blank' }),
    NoInvisibleCharacters(false),
  );

/** An optional name or name-like filter (key name, name prefix): NFC, no invisible characters. */
export const OptionalSafeName = (max: number = TEXT_LIMITS.name) =>
  applyDecorators(
    IsOptional(),
    NormalizeNfc(),
    IsString(),
    MaxLength(max),
    NoInvisibleCharacters(false),
  );

/** An optional description: NFC; newline and tab allowed, no other control or invisible character. */
export const OptionalSafeText = (max: number = TEXT_LIMITS.description) =>
  applyDecorators(
    IsOptional(),
    NormalizeNfc(),
    IsString(),
    MaxLength(max),
    NoInvisibleCharacters(true),
  );

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

/**
 * A whole number from `min` to `max`, refused with one message that states the range. Both
 * bounds must be safe integers, so every integer JSON cannot represent exactly (2^53 + 2) and
 * every huge one (1e308) is out of range.
 */
export const BoundedInt = (bounds: { readonly min: number; readonly max: number }) => {
  const { min, max } = bounds;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
    throw new Error(`BoundedInt needs safe integer bounds, got ${min}..${max}`);
  }
  return ValidateBy({
    name: 'boundedInt',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} must be a whole number from ${min} to ${max}`,
    },
  });
};

export const PageLimit = () => applyDecorators(IsOptional(), BoundedInt(FIELD_BOUNDS.pageLimit));

/** How many days a usage series covers (`FIELD_BOUNDS.usageDays`); the default is the query's. */
export const UsageDays = () => applyDecorators(IsOptional(), BoundedInt(FIELD_BOUNDS.usageDays));

export const Cursor = () => applyDecorators(IsOptional(), IsString(), MaxLength(2000));

export const OptionalOneOf = (values: readonly string[]) =>
  applyDecorators(IsOptional(), IsIn(values as string[]));

/** Epoch seconds from 0 to 253402300799 (9999-12-31T23:59:59Z). */
export const OptionalEpochSeconds = () =>
  applyDecorators(IsOptional(), BoundedInt(FIELD_BOUNDS.epochSeconds));

/** A required instant in epoch seconds (e.g. the `time` of a point-in-time query). */
export const EpochSeconds = () => BoundedInt(FIELD_BOUNDS.epochSeconds);
