import { inboxPrefixFor, type NatsUser } from './nats-permissions';

/** How to connect as one NATS user: spreads into nats.js `connect()` options. */
export interface NatsUserSettings {
  servers: string[];
  user?: string;
  pass?: string;
  inboxPrefix?: string;
}

export function natsUserSettings(url: string, user: NatsUser, password: string): NatsUserSettings {
  const servers = url.split(',');
  return { servers, user, pass: password, inboxPrefix: inboxPrefixFor(user) };
}

/** The same as a service's environment: `NATS_URL`, `NATS_USER`, `NATS_PASSWORD`. */
export function natsUserEnv(url: string, user: NatsUser, password: string): Record<string, string> {
  return { NATS_URL: url, NATS_USER: user, NATS_PASSWORD: password };
}
