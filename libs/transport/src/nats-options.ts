import { inboxPrefixFor } from '@keyward/messaging';

/**
 * How every service reaches NATS: `NATS_URL` (comma-separated for a cluster), and the
 * service's own NATS user when the deployment sets one (`NATS_USER` / `NATS_PASSWORD`).
 * Replies come back on the user's private inbox prefix (`_INBOX_<user>`, which the generated
 * permissions let only that user read), or on `NATS_INBOX_PREFIX` when set.
 */
export interface NatsConnectionSettings {
  servers: string[];
  user?: string;
  pass?: string;
  inboxPrefix?: string;
  /** -1: a service reconnects for as long as it runs (nats.js gives up after 10 tries). */
  maxReconnectAttempts?: number;
  reconnectTimeWait?: number;
}

/** Reconnect forever, every second: an outage of any length ends with every service back. */
export const RECONNECT_FOREVER = { maxReconnectAttempts: -1, reconnectTimeWait: 1000 } as const;

export function natsSettingsFrom(env: NodeJS.ProcessEnv = process.env): NatsConnectionSettings {
  const servers = (env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
  const inboxPrefix = env.NATS_INBOX_PREFIX || (env.NATS_USER && inboxPrefixFor(env.NATS_USER));
  return {
    servers,
    ...RECONNECT_FOREVER,
    ...(env.NATS_USER ? { user: env.NATS_USER } : {}),
    ...(env.NATS_PASSWORD ? { pass: env.NATS_PASSWORD } : {}),
    ...(inboxPrefix ? { inboxPrefix } : {}),
  };
}
