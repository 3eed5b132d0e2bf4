import { serviceConfigFrom, type ServiceConfig } from '@keyward/transport';

/** Configuration from the environment; README.md lists every variable with its default. */
export interface CommandServiceConfig extends ServiceConfig {
  /** Bootstrap is refused when it is unset. */
  operatorToken: string | null;
  keyEnvironment: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CommandServiceConfig {
  return {
    ...serviceConfigFrom(env),
    operatorToken: env.KEYWARD_OPERATOR_TOKEN || null,
    keyEnvironment: env.KEYWARD_KEY_ENV ?? 'live',
  };
}
