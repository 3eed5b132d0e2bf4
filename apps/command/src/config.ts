import { natsSettingsFrom, type NatsConnectionSettings } from '@keyward/transport';

/** Configuration from the environment; README.md lists every variable with its default. */
export interface CommandServiceConfig {
  nats: NatsConnectionSettings;
  /** `EVENT_STORE_URL`: esdb://… for EventStoreDB; unset for JetStream on the same NATS. */
  eventStoreUrl: string | undefined;
  /** Bootstrap is refused when it is unset. */
  operatorToken: string | null;
  keyEnvironment: string;
  jetStreamStream: string;
  jetStreamSubjectPrefix: string;
  /** Serves /healthz and /readyz when set. */
  healthPort: number | null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CommandServiceConfig {
  return {
    nats: natsSettingsFrom(env),
    eventStoreUrl: env.EVENT_STORE_URL || undefined,
    operatorToken: env.KEYWARD_OPERATOR_TOKEN || null,
    keyEnvironment: env.KEYWARD_KEY_ENV ?? 'live',
    jetStreamStream: env.KEYWARD_JETSTREAM_STREAM ?? 'KEYWARD_EVENTS',
    jetStreamSubjectPrefix: env.KEYWARD_JETSTREAM_SUBJECT_PREFIX ?? 'kw.ev',
    healthPort: env.HEALTH_PORT ? Number(env.HEALTH_PORT) : null,
  };
}
