import fc from 'fast-check';
import { decodeRequestBody, REQUEST_BODY_LIMITS, type DecodedRequestBody } from './request-body';
import { httpStatusOf } from './reply';

const bytes = (text: string) => new TextEncoder().encode(text);
const decode = (text: string, emptyBody?: boolean) =>
  decodeRequestBody(bytes(text), emptyBody === undefined ? undefined : { emptyBody });
const codeOf = (result: DecodedRequestBody) => (result.ok ? 'ok' : result.error.code);
const fieldsOf = (result: DecodedRequestBody) => (result.ok ? [] : (result.error.fields ?? []));
const nested = (depth: number, inner = '1') =>
  '{"a":'.repeat(depth - 1) + `{"a":${inner}}` + '}'.repeat(depth - 1);
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('decodeRequestBody', () => {
  it('reads a plain object', () => {
    expect(decode('{"name":"a","grants":[{"resource":"db:a","role":"reader"}],"n":1}')).toEqual({
      ok: true,
      body: { name: 'a', grants: [{ resource: 'db:a', role: 'reader' }], n: 1 },
    });
    expect(decode(' \n{}\t')).toEqual({ ok: true, body: {} });
  });

  describe('an empty body', () => {
    it.each([
      ['no bytes', ''],
      ['whitespace only', ' \r\n\t '],
    ])('is REQUEST.MALFORMED_JSON for %s', (_what, text) => {
      expect(decode(text)).toEqual({
        ok: false,
        error: {
          code: 'REQUEST.MALFORMED_JSON',
          kind: 'invalid',
          message: 'request body is empty; send a JSON object',
        },
      });
    });

    it('is {} only where the subject documents an empty body', () => {
      expect(decode('', true)).toEqual({ ok: true, body: {} });
      expect(decode('  ', true)).toEqual({ ok: true, body: {} });
      expect(codeOf(decode('', false))).toBe('REQUEST.MALFORMED_JSON');
      // A body that is there is read as on any subject.
      expect(codeOf(decode('[1]', true))).toBe('REQUEST.NOT_AN_OBJECT');
      expect(decode('{"a":1}', true)).toEqual({ ok: true, body: { a: 1 } });
    });
  });

  it('refuses a body over 64 KiB as REQUEST.TOO_LARGE (413), before reading it', () => {
    const max = REQUEST_BODY_LIMITS.maxBytes;
    expect(max).toBe(64 * 1024);
    const atLimit = `{"a":"${'x'.repeat(max - 8)}"}`;
    expect(bytes(atLimit).length).toBe(max);
    expect(codeOf(decode(atLimit))).toBe('ok');
    const over = `{"a":"${'x'.repeat(max - 7)}"}`;
    const result = decode(over);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'REQUEST.TOO_LARGE', kind: 'too_large' },
    });
    expect(result.ok ? 0 : httpStatusOf(result.error.kind)).toBe(413);
    // Size comes first: not even a deep or broken body over the limit is scanned.
    expect(codeOf(decode('['.repeat(max + 1)))).toBe('REQUEST.TOO_LARGE');
  });

  describe('nesting', () => {
    it('accepts 8 levels and refuses 9 with VALIDATION.FAILED naming the limit', () => {
      expect(REQUEST_BODY_LIMITS.maxDepth).toBe(8);
      expect(codeOf(decode(nested(8)))).toBe('ok');
      expect(codeOf(decode(`{"a":${nestedArrays(7)}}`))).toBe('ok');
      const refused = decode(nested(9));
      expect(refused).toEqual({
        ok: false,
        error: {
          code: 'VALIDATION.FAILED',
          kind: 'invalid',
          message: 'invalid request: (body): nested deeper than 8 levels',
          fields: [{ field: '(body)', message: 'nested deeper than 8 levels' }],
        },
      });
      expect(codeOf(decode(`{"a":${nestedArrays(8)}}`))).toBe('VALIDATION.FAILED');
      expect(codeOf(decode(`{"a":[{"b":[{"c":[{"d":[{"e":1}]}]}]}]}`))).toBe('VALIDATION.FAILED');
    });

    it('refuses 5,000 levels without recursing (and even when the JSON is broken)', () => {
      expect(codeOf(decode(nested(5000)))).toBe('VALIDATION.FAILED');
      expect(codeOf(decode(nestedArrays(5000)))).toBe('VALIDATION.FAILED');
      expect(codeOf(decode('['.repeat(5000)))).toBe('VALIDATION.FAILED');
    });

    it('counts only brackets outside strings; escaped quotes do not end a string', () => {
      const brackets = '{[{[{[{[{[{[{[{[{[';
      expect(decode(`{"a":"${brackets}"}`)).toEqual({ ok: true, body: { a: brackets } });
      expect(decode(`{"${brackets}":1}`)).toEqual({ ok: true, body: { [brackets]: 1 } });
      const escaped = `{"a":"\\"${brackets}\\\\","b":${nested(7)}}`;
      expect(codeOf(decode(escaped))).toBe('ok');
      // `\\` ends in an escaped backslash, so the quote after it closes the string.
      expect(codeOf(decode(`{"a":"\\\\","b":${nested(8)}}`))).toBe('VALIDATION.FAILED');
      // Non-ASCII text never looks like structure.
      expect(decode('{"a":"é€😀[["}')).toEqual({ ok: true, body: { a: 'é€😀[[' } });
    });

    it('does not let stray closing brackets buy extra depth', () => {
      expect(codeOf(decode(`]]]]]]]]${nested(9)}`))).toBe('VALIDATION.FAILED');
    });

    it('agrees with the real depth of any JSON value', () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 12 }), (value) => {
          const text = JSON.stringify({ v: value });
          const result = decode(text);
          const depth = 1 + depthOf(value);
          if (result.ok) {
            expect(depth).toBeLessThanOrEqual(8);
            expect(result.body).toEqual(JSON.parse(text));
          } else if (depth > 8) {
            expect(fieldsOf(result)).toEqual([
              { field: '(body)', message: 'nested deeper than 8 levels' },
            ]);
          } else {
            // Shallow enough: only a prototype key can refuse it.
            expect(
              fieldsOf(result).every((f) => /__proto__|constructor|prototype/.test(f.field)),
            ).toBe(true);
          }
        }),
      );
    });
  });

  it.each([
    ['not JSON', '{"name": ', 'REQUEST.MALFORMED_JSON'],
    ['trailing garbage', '{} x', 'REQUEST.MALFORMED_JSON'],
    ['a NUL', '\u0000', 'REQUEST.MALFORMED_JSON'],
    ['an array', '[1,2]', 'REQUEST.NOT_AN_OBJECT'],
    ['a string', '"hello"', 'REQUEST.NOT_AN_OBJECT'],
    ['a number', '5', 'REQUEST.NOT_AN_OBJECT'],
    ['null', 'null', 'REQUEST.NOT_AN_OBJECT'],
    ['true', 'true', 'REQUEST.NOT_AN_OBJECT'],
  ])('refuses %s', (_what, text, code) => {
    expect(decode(text)).toMatchObject({ ok: false, error: { code, kind: 'invalid' } });
  });

  describe('prototype keys', () => {
    it.each([
      ['__proto__ at the top', '{"name":"a","__proto__":{"admin":true}}', ['__proto__']],
      ['constructor at the top', '{"name":"a","constructor":{"prototype":{}}}', ['constructor']],
      ['prototype at the top', '{"prototype":1}', ['prototype']],
      ['__proto__ nested', '{"a":{"b":{"__proto__":{"x":1}}}}', ['a.b.__proto__']],
      [
        '__proto__ in an array of objects',
        '{"grants":[{"resource":"x"},{"__proto__":[]}]}',
        ['grants.1.__proto__'],
      ],
      ['constructor in a nested array', '{"a":[[{"constructor":null}]]}', ['a.0.0.constructor']],
      ['several', '{"__proto__":1,"a":{"prototype":2}}', ['__proto__', 'a.prototype']],
    ])('refuses %s as VALIDATION.FAILED naming the path', (_what, text, paths) => {
      const result = decode(text);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION.FAILED', kind: 'invalid' },
      });
      expect(fieldsOf(result)).toEqual(
        paths.map((field) => ({
          field,
          message: `property ${field.split('.').pop()} should not exist`,
        })),
      );
      expect(result.ok ? '' : result.error.message).toContain(`${paths[0]}: property`);
    });

    it('never touches a prototype', () => {
      decode('{"__proto__":{"polluted":true},"a":{"__proto__":{"polluted":true}}}');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it('leaves those words alone as values and inside longer keys', () => {
      const text =
        '{"name":"__proto__","tags":["constructor","prototype"],"__proto__x":1,"myconstructor":2}';
      expect(decode(text)).toEqual({ ok: true, body: JSON.parse(text) });
    });
  });

  it('hands back the same frozen refusal for the constant cases', () => {
    const first = decode('');
    expect(decode('')).toBe(first);
    expect(Object.isFrozen(first.ok ? undefined : first.error)).toBe(true);
    expect(decode(nested(9))).toBe(decode(nested(10)));
  });
});

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((max, child) => Math.max(max, depthOf(child)), 0);
}
