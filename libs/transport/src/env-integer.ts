/**
 * A whole number from the environment, `fallback` when unset or empty. A bad value stops the
 * service at start with the variable's name, never later.
 */
export function integerFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
