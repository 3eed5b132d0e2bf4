/** Configuration from the environment; README.md lists every variable with its default. */
export interface CommandServiceConfig {
  natsUrl: string;
  /** Bootstrap is refused when it is unset. */
  operatorToken: string | null;
  keyEnvironment: string;
  jetStreamStream: string;
  jetStreamSubjectPrefix: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CommandServiceConfig {
  return {
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    operatorToken: env.KEYWARD_OPERATOR_TOKEN || null,
    keyEnvironment: env.KEYWARD_KEY_ENV ?? 'live',
    jetStreamStream: env.KEYWARD_JETSTREAM_STREAM ?? 'KEYWARD_EVENTS',
    jetStreamSubjectPrefix: env.KEYWARD_JETSTREAM_SUBJECT_PREFIX ?? 'kw.ev',
  };
}
