import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import {
  checkAddress,
  checkWebhookUrl,
  signWebhook,
  WEBHOOK_HEADERS,
  type NetworkPolicy,
} from '@keyward/webhooks';
import type { AttemptResult } from './delivery-queue';
import { AddressRefusedError, pinnedLookup, type ResolveAll } from './pinned-lookup';

/** One attempt to deliver a notification to an endpoint. */
export interface WebhookRequest {
  url: string;
  /** The opened signing secret (`whsec_…`). */
  secret: string;
  /** The `webhook-id`: the notification's eventId. */
  id: string;
  /** The notification JSON. */
  body: string;
}

export type SendWebhook = (request: WebhookRequest) => Promise<AttemptResult>;

export interface SenderOptions {
  policy: NetworkPolicy;
  /** `KEYWARD_WEBHOOK_TIMEOUT_MS`: from the start of the attempt to the response's headers. */
  timeoutMs: number;
  /** The signature's clock (epoch ms). */
  now?: () => number;
  /** Tests: what names resolve to. */
  resolve?: ResolveAll;
}

const USER_AGENT = 'Keyward-Webhooks/1';
const MAX_DRAINED_BODY = 64 * 1024;
const MAX_ERROR_LENGTH = 500;

/**
 * The webhook HTTP client: node:http / node:https with keep-alive, a POST of the notification
 * with the Standard Webhooks headers (`webhook-id`, `webhook-timestamp` of this attempt,
 * `webhook-signature`). The URL is checked again on every attempt (scheme, literal addresses),
 * a name's addresses are checked at connect time (`pinnedLookup`), redirects are never followed
 * and the attempt is bounded by `timeoutMs`. 2xx is delivered; anything else is a failed attempt
 * with a one-line reason.
 */
export function webhookSender(options: SenderOptions): { send: SendWebhook; close(): void } {
  const lookup = pinnedLookup(options.policy, options.resolve);
  const agents = {
    'http:': new http.Agent({ keepAlive: true, lookup } as http.AgentOptions),
    'https:': new https.Agent({ keepAlive: true, lookup } as https.AgentOptions),
  };
  const now = options.now ?? Date.now;
  const send: SendWebhook = async (request) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const checked = checkWebhookUrl(request.url, options.policy);
    if (!checked.ok) return failed(null, elapsed(), checked.message);
    const url = checked.url;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) {
      const check = checkAddress(host, options.policy);
      if (!check.ok) return failed(null, elapsed(), check.message);
    }
    const timestamp = Math.floor(now() / 1000);
    const body = Buffer.from(request.body, 'utf8');
    const headers = {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'user-agent': USER_AGENT,
      [WEBHOOK_HEADERS.id]: request.id,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signWebhook(request.secret, request.id, timestamp, request.body),
    };
    const protocol = url.protocol === 'https:' ? https : http;
    const agent = agents[url.protocol as 'http:' | 'https:'];
    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const settle = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = protocol.request(url, { method: 'POST', headers, agent, lookup }, (response) => {
        const status = response.statusCode ?? 0;
        drain(response, req);
        if (status >= 200 && status < 300) {
          settle({ outcome: 'delivered', statusCode: status, latencyMs: elapsed(), error: null });
        } else if (status >= 300 && status < 400) {
          const location = String(response.headers.location ?? '').slice(0, 200);
          const to = location ? ` to ${location}` : '';
          settle(failed(status, elapsed(), `redirect not followed (HTTP ${status}${to})`));
        } else settle(failed(status, elapsed(), `HTTP ${status}`));
      });
      const timer = setTimeout(() => {
        settle(failed(null, elapsed(), `timed out after ${options.timeoutMs} ms`));
        req.destroy();
      }, options.timeoutMs);
      req.on('error', (error) => settle(failed(null, elapsed(), describe(error))));
      req.end(body);
    });
  };
  return {
    send,
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** Reads and drops the answer's body (so the connection can be reused), up to a bound. */
function drain(response: http.IncomingMessage, request: http.ClientRequest): void {
  let received = 0;
  response.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_DRAINED_BODY) request.destroy();
  });
  response.on('error', () => undefined);
}

function failed(statusCode: number | null, latencyMs: number, error: string): AttemptResult {
  return { outcome: 'failed', statusCode, latencyMs, error: error.slice(0, MAX_ERROR_LENGTH) };
}

function describe(error: Error & { code?: string }): string {
  if (error instanceof AddressRefusedError) return `${error.message}: not connected`;
  const code = error.code && !error.message.includes(error.code) ? ` (${error.code})` : '';
  return `${error.message}${code}`;
}
