import { z } from 'zod';

/**
 * Configuration comes from the environment through one zod schema per service: every variable
 * typed and bounded, parsed before anything connects or listens. A bad value is a ConfigError
 * naming each variable, what it accepts and what it got, on one line.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The exit code of a service refused by its configuration (sysexits' EX_CONFIG). */
export const EXIT_CONFIG = 78;

type Raw = string | undefined;
const unset = (raw: Raw): raw is undefined | '' => raw === undefined || raw === '';

/**
 * A variable read as `parse` says; unset or empty gives `fallback`; `accepts` names the rule.
 * A `secret` one is refused without its value in the message (it would reach the logs).
 */
function variable<T>(
  fallback: T,
  accepts: string,
  parse: (raw: string) => T | undefined,
  secret = false,
) {
  return z
    .string()
    .optional()
    .transform((raw: Raw, ctx): T => {
      if (unset(raw)) return fallback;
      const value = parse(raw);
      if (value !== undefined) return value;
      ctx.addIssue({ code: 'custom', message: accepts, params: { secret } });
      return z.NEVER;
    });
}

/** A whole number from `min` to `max` (digits only: `2s`, `1e3` and ` 5` are refused). */
export function wholeNumber<F extends number | null>(fallback: F, min: number, max: number) {
  return variable<number | F>(fallback, `a whole number from ${min} to ${max}`, (raw) => {
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
  });
}

/** A TCP port to listen on; `fallback` null: not served unless set. */
export function port<F extends number | null>(fallback: F) {
  return wholeNumber(fallback, 0, 65535);
}

/** Exactly one of `values` (case matters: `LIVE` is not `live`). */
export function oneOf<T extends string>(fallback: T, values: readonly T[]) {
  return variable<T>(fallback, `one of ${values.join(', ')}`, (raw) =>
    (values as readonly string[]).includes(raw) ? (raw as T) : undefined,
  );
}

/** Any text matching `pattern` (described by `accepts`). */
export function matching<F extends string | null | undefined>(
  fallback: F,
  pattern: RegExp,
  accepts: string,
) {
  return variable<string | F>(fallback, accepts, (raw) => (pattern.test(raw) ? raw : undefined));
}

/** Any text `accept` says yes to (described by `accepts`), e.g. a rule a library already has. */
export function satisfying<F extends string>(
  fallback: F,
  accept: (raw: string) => boolean,
  accepts: string,
) {
  return variable<string | F>(fallback, accepts, (raw) => (accept(raw) ? raw : undefined));
}

/** Like `satisfying`, for a secret (a key): a refusal names the rule, never the value. */
export function secretSatisfying<F extends string>(
  fallback: F,
  accept: (raw: string) => boolean,
  accepts: string,
) {
  return variable<string | F>(fallback, accepts, (raw) => (accept(raw) ? raw : undefined), true);
}

/** Free text; unset or empty gives `fallback`. */
export function text<F extends string | null | undefined>(fallback: F) {
  return variable<string | F>(fallback, 'any text', (raw) => raw);
}

/**
 * The environment parsed by `shape`, or a ConfigError listing every bad variable:
 * `VERIFIER_MAX_STALENESS_MS must be a whole number from 100 to 600000; got "2s"`.
 */
export function parseEnv<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv,
): z.output<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const secret = issue.code === 'custom' && issue.params?.secret === true;
    const got = secret
      ? `${env[name]?.length ?? 0} characters (not shown)`
      : JSON.stringify(env[name]);
    return `${name} must be ${issue.message}; got ${got}`;
  });
  throw new ConfigError(problems.join('; '));
}

/**
 * Runs `load` before the service connects or listens; a ConfigError is printed as one line
 * (`keyward-command: KEYWARD_KEY_ENV must be …`) and the process exits with EXIT_CONFIG.
 */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
}
