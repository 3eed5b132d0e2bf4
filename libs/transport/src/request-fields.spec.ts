import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  MAX_ACTIVE_KEYS_LIMIT,
  MAX_KEY_LIFETIME_SECONDS,
  MIN_KEY_LIFETIME_SECONDS,
} from '@keyward/domain';
import { FIELD_BOUNDS, QUERY_LIMITS, TEXT_LIMITS } from '@keyward/messaging';
import { AppError } from './app-error';
import {
  BoundedInt,
  findInvisibleCharacter,
  OptionalEpochSeconds,
  OptionalSafeName,
  OptionalSafeText,
  PageLimit,
  SafeName,
} from './request-fields';
import { RequestValidationPipe } from './validation.pipe';

class NameDto {
  @SafeName() name!: string;
  @OptionalSafeName() keyName?: string;
  @OptionalSafeText() description?: string;
}

class NumbersDto {
  @OptionalEpochSeconds() at?: number;
  @PageLimit() limit?: number;
  @BoundedInt(FIELD_BOUNDS.maxKeyLifetimeSeconds) lifetime = 3600;
  @BoundedInt(FIELD_BOUNDS.maxActiveKeysPerPrincipal) maxKeys = 10;
}

/** Validates like the pipe does (plainToInstance, then validate) and returns field → messages. */
async function check<T extends object>(
  type: new () => T,
  plain: object,
): Promise<{ instance: T; errors: Record<string, string[]> }> {
  const instance = plainToInstance(type, plain);
  const found = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  const errors = Object.fromEntries(
    found.map((e) => [e.property, Object.values(e.constraints ?? {})]),
  );
  return { instance, errors };
}

// JSON.parse keeps a lone surrogate escape as a lone UTF-16 unit, exactly as a request body does.
const loneSurrogate = JSON.parse('"\\ud800"') as string;

describe('names and descriptions: NFC, no control or invisible characters', () => {
  it.each([
    ['NUL', '\u0000', 'U+0000'],
    ['a newline', '\n', 'U+000A'],
    ['a tab', '\t', 'U+0009'],
    ['ESC', '\u001b', 'U+001B'],
    ['DEL', '\u007f', 'U+007F'],
    ['the C1 control NEL', '\u0085', 'U+0085'],
    ['a lone surrogate', loneSurrogate, 'U+D800'],
    ['a right-to-left override', '\u202e', 'U+202E'],
    ['a left-to-right isolate', '\u2066', 'U+2066'],
    ['a pop directional isolate', '\u2069', 'U+2069'],
    ['a right-to-left mark', '\u200f', 'U+200F'],
    ['an Arabic letter mark', '\u061c', 'U+061C'],
    ['a zero-width space', '\u200b', 'U+200B'],
    ['a zero-width joiner', '\u200d', 'U+200D'],
    ['a word joiner', '\u2060', 'U+2060'],
    ['a byte order mark', '\ufeff', 'U+FEFF'],
    ['a line separator', '\u2028', 'U+2028'],
    ['a paragraph separator', '\u2029', 'U+2029'],
  ])('refuses %s in a name, naming the character and its position', async (_, char, code) => {
    const { errors } = await check(NameDto, { name: `ab${char}c`, keyName: `x${char}` });
    expect(errors.name).toEqual([
      `name must not contain control or invisible characters (${code} at position 3)`,
    ]);
    expect(errors.keyName).toEqual([
      `keyName must not contain control or invisible characters (${code} at position 2)`,
    ]);
  });

  it.each([
    ['NUL', '\u0000'],
    ['ESC', '\u001b'],
    ['a carriage return', '\r'],
    ['the C1 control NEL', '\u0085'],
    ['a lone surrogate', loneSurrogate],
    ['a right-to-left override', '\u202e'],
    ['a zero-width space', '\u200b'],
    ['a byte order mark', '\ufeff'],
    ['a line separator', '\u2028'],
  ])('refuses %s in a description', async (_, char) => {
    const { errors } = await check(NameDto, { name: 'a', description: `line${char}` });
    expect(Object.keys(errors)).toEqual(['description']);
    expect(errors.description[0]).toMatch(/^description must not contain control or invisible/);
  });

  it('accepts accents, emoji, CJK and right-to-left scripts in names', async () => {
    for (const name of ['Café', 'deploy 🚀', '部署ボット', 'שלום', 'Ünïcødé-bot_2', '  padded  ']) {
      const { errors } = await check(NameDto, { name, keyName: name });
      expect(errors).toEqual({});
    }
  });

  it('accepts newlines and tabs in a description', async () => {
    const description = 'first line\n\tindented second line\n';
    const { instance, errors } = await check(NameDto, { name: 'a', description });
    expect(errors).toEqual({});
    expect(instance.description).toBe(description);
  });

  it('still refuses blank and oversize names', async () => {
    expect(Object.keys((await check(NameDto, { name: '   ' })).errors)).toEqual(['name']);
    expect(Object.keys((await check(NameDto, { name: '' })).errors)).toEqual(['name']);
    const long = { name: 'n'.repeat(TEXT_LIMITS.name + 1) };
    expect(Object.keys((await check(NameDto, long)).errors)).toEqual(['name']);
  });

  it('normalises names and descriptions to NFC', async () => {
    const { instance, errors } = await check(NameDto, {
      name: 'Cafe\u0301',
      keyName: 'Cafe\u0301',
      description: 'A\u030a',
    });
    expect(errors).toEqual({});
    expect(instance.name).toBe('Caf\u00e9');
    expect(instance.keyName).toBe('Caf\u00e9');
    expect(instance.description).toBe('\u00c5');
  });

  it('measures the length of the NFC form', async () => {
    // 100 letters each followed by a combining accent: 200 units sent, 100 once composed.
    const { errors } = await check(NameDto, { name: 'e\u0301'.repeat(TEXT_LIMITS.name) });
    expect(errors).toEqual({});
  });

  it('reaches the handler normalised through the RequestValidationPipe', async () => {
    const pipe = new RequestValidationPipe();
    const dto = (await pipe.transform(
      { name: 'Cafe\u0301' },
      { type: 'body', metatype: NameDto },
    )) as NameDto;
    expect(dto.name).toBe('Caf\u00e9');
    const refused = await pipe
      .transform({ name: 'a\u202eb' }, { type: 'body', metatype: NameDto })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('VALIDATION.FAILED');
    expect((refused as AppError).fields).toEqual([
      {
        field: 'name',
        message: 'name must not contain control or invisible characters (U+202E at position 2)',
      },
    ]);
  });

  it('findInvisibleCharacter counts characters, not UTF-16 units', () => {
    expect(findInvisibleCharacter('🚀🚀\u0000')).toBe('U+0000 at position 3');
    expect(findInvisibleCharacter('a\nb')).toBe('U+000A at position 2');
    expect(findInvisibleCharacter('a\nb', true)).toBeNull();
    expect(findInvisibleCharacter(`ok${loneSurrogate}`, true)).toBe('U+D800 at position 3');
  });
});

describe('numbers: whole and within a documented range', () => {
  const { epochSeconds, pageLimit, maxKeyLifetimeSeconds, maxActiveKeysPerPrincipal } =
    FIELD_BOUNDS;

  it.each([
    ['at', epochSeconds],
    ['limit', pageLimit],
    ['lifetime', maxKeyLifetimeSeconds],
    ['maxKeys', maxActiveKeysPerPrincipal],
  ] as const)('%s refuses 1e308, 2^53 + 2, -1, 1.5, max + 1 and a string', async (field, b) => {
    for (const value of [1e308, 2 ** 53 + 2, -1, 1.5, b.max + 1, b.min - 1, '5']) {
      const { errors } = await check(NumbersDto, { [field]: value });
      expect(errors).toEqual({
        [field]: [`${field} must be a whole number from ${b.min} to ${b.max}`],
      });
    }
  });

  it.each([
    ['at', epochSeconds],
    ['limit', pageLimit],
    ['lifetime', maxKeyLifetimeSeconds],
    ['maxKeys', maxActiveKeysPerPrincipal],
  ] as const)('%s accepts both of its bounds', async (field, b) => {
    for (const value of [b.min, b.max]) {
      expect((await check(NumbersDto, { [field]: value })).errors).toEqual({});
    }
  });

  it('documents the decided ranges, the same as the domain and the query limits', () => {
    expect(epochSeconds).toEqual({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59) / 1000 });
    expect(maxKeyLifetimeSeconds).toEqual({
      min: MIN_KEY_LIFETIME_SECONDS,
      max: MAX_KEY_LIFETIME_SECONDS,
    });
    expect(MAX_KEY_LIFETIME_SECONDS).toBe(100 * 365 * 24 * 3600);
    expect(maxActiveKeysPerPrincipal).toEqual({ min: 1, max: MAX_ACTIVE_KEYS_LIMIT });
    expect(pageLimit).toEqual({ min: 1, max: QUERY_LIMITS.maxPageSize });
    for (const { max } of Object.values(FIELD_BOUNDS)) expect(Number.isSafeInteger(max)).toBe(true);
  });

  it('BoundedInt refuses bounds that are not safe integers', () => {
    expect(() => BoundedInt({ min: 0, max: 2 ** 53 })).toThrow(/safe integer/);
    expect(() => BoundedInt({ min: 0, max: 1.5 })).toThrow(/safe integer/);
    expect(() => BoundedInt({ min: 2, max: 1 })).toThrow(/safe integer/);
  });
});
