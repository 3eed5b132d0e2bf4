import { createHmac, timingSafeEqual } from 'crypto';
import { webhookSigningKey } from './secret';

// Standard Webhooks (standardwebhooks.com): the receiver checks these three headers.
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

const SIGNATURE_VERSION = 'v1';
const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  return `${SIGNATURE_VERSION},${digest(webhookSigningKey(secret), id, timestampSeconds, body).toString('base64')}`;
}

export interface WebhookSignatureHeaders {
  id: string;
  timestamp: string;
  signature: string;
}

export interface VerifyOptions {
  nowSeconds?: number;
  toleranceSeconds?: number;
}

/** True when any of the space-separated `v1,` signatures matches and the timestamp is within tolerance. */
export function verifyWebhookSignature(
  secret: string,
  headers: WebhookSignatureHeaders,
  body: string,
  options: VerifyOptions = {},
): boolean {
  if (!/^\d{1,12}$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) return false;
  const expected = digest(webhookSigningKey(secret), headers.id, timestamp, body);
  return headers.signature.split(' ').some((candidate) => signatureMatches(candidate, expected));
}

function digest(key: Buffer, id: string, timestampSeconds: number, body: string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest();
}

function signatureMatches(candidate: string, expected: Buffer): boolean {
  const comma = candidate.indexOf(',');
  if (comma < 0 || candidate.slice(0, comma) !== SIGNATURE_VERSION) return false;
  const given = Buffer.from(candidate.slice(comma + 1), 'base64');
  // The length of an HMAC-SHA256 is public; only the content comparison must be constant-time.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
