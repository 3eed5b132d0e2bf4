import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CliError } from '../api/api-client';
import { EXIT } from '../exit-codes';

const ProfileSchema = z.object({ url: z.string().url(), key: z.string().optional() }).strict();
const ConfigSchema = z
  .object({ current: z.string(), profiles: z.record(z.string(), ProfileSchema) })
  .strict();

export type Profile = z.infer<typeof ProfileSchema>;
export type CliConfig = z.infer<typeof ConfigSchema>;

export const DEFAULT_PROFILE = 'default';

/** `KEYWARD_CONFIG`, else `$XDG_CONFIG_HOME/keyward/config.json` (`~/.config/…`). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEYWARD_CONFIG) return env.KEYWARD_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'keyward', 'config.json');
}

export function readConfig(path: string): CliConfig {
  if (!existsSync(path)) return { current: DEFAULT_PROFILE, profiles: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`${path} is not valid JSON (${(error as Error).message})`, EXIT.usage);
  }
  const result = ConfigSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CliError(
      `${path} is not a keyward configuration: ${issue.path.join('.') || '(top)'}: ${issue.message}`,
      EXIT.usage,
    );
  }
  return result.data;
}

/**
 * Writes the file readable by its owner only (0600, in a 0700 directory): it holds API keys.
 * Written to a temporary file and renamed, so a crash never leaves half a file.
 */
export function writeConfig(path: string, config: CliConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** Where a command sends its requests, and as whom. */
export interface Resolved {
  profile: string;
  url?: string;
  key?: string;
}

/**
 * The profile in use (`--profile`, `KEYWARD_PROFILE`, the one `login` last saved, or
 * `default`) with `KEYWARD_URL` and `KEYWARD_KEY` taking precedence over what it stores.
 */
export function resolveTarget(
  config: CliConfig,
  profileOption: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Resolved {
  const profile = profileOption ?? env.KEYWARD_PROFILE ?? config.current;
  const stored = config.profiles[profile];
  return {
    profile,
    url: env.KEYWARD_URL || stored?.url,
    key: env.KEYWARD_KEY || stored?.key,
  };
}
