import { randomBytes } from 'crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** Shown to the org admin once at registration; the store keeps it only sealed (secret-box.ts). */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The HMAC key: the bytes the base64 after `whsec_` encodes, as the Standard Webhooks libraries read it. */
export function webhookSigningKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new Error('a webhook secret is whsec_ followed by base64');
  }
  return Buffer.from(encoded, 'base64');
}
