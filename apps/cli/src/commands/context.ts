import type { Command } from 'commander';
import { ApiClient, CliError } from '../api/api-client';
import { configPath, readConfig, resolveTarget, type Resolved } from '../config/profiles';
import { EXIT } from '../exit-codes';
import type { Output } from '../output/output';

/** The options every command takes (declared on the program). */
export interface GlobalOptions {
  profile?: string;
  json?: boolean;
}

/** What a command's action needs: the API as the configured principal, and how to print. */
export interface CommandContext {
  api: ApiClient;
  output: Output;
  target: Resolved;
}

/** The API for a command that needs a key (`needKey`) or only a gateway URL. */
export function contextOf(command: Command, needKey = true): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const path = configPath();
  const target = resolveTarget(readConfig(path), options.profile);
  if (!target.url) {
    throw new CliError(
      `no gateway URL for profile "${target.profile}": run \`keyward login\` or set KEYWARD_URL`,
      EXIT.unauthenticated,
    );
  }
  if (needKey && !target.key) {
    throw new CliError(
      `no API key for profile "${target.profile}": run \`keyward login\` or set KEYWARD_KEY`,
      EXIT.unauthenticated,
    );
  }
  return {
    api: new ApiClient({ url: target.url, key: needKey ? target.key : undefined }),
    output: { json: options.json === true },
    target,
  };
}

/** Path segment of an id the user typed: encoded, so `../` cannot change the route. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}

/** A query string from the options that are set (`?a=1&b=x`, or '' when none is). */
export function queryOf(values: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** A commander argument parser for a positive integer option. */
export function positiveInteger(name: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed <= 0) {
      throw new CliError(
        `${name} must be a positive integer, got ${JSON.stringify(value)}`,
        EXIT.usage,
      );
    }
    return parsed;
  };
}
