/**
 * How every service reaches NATS: `NATS_URL` (comma-separated for a cluster), and the
 * service's own NATS user when the deployment sets one (`NATS_USER` / `NATS_PASSWORD`).
 */
export interface NatsConnectionSettings {
  servers: string[];
  user?: string;
  pass?: string;
}

export function natsSettingsFrom(env: NodeJS.ProcessEnv = process.env): NatsConnectionSettings {
  const servers = (env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
  return {
    servers,
    ...(env.NATS_USER ? { user: env.NATS_USER } : {}),
    ...(env.NATS_PASSWORD ? { pass: env.NATS_PASSWORD } : {}),
  };
}
