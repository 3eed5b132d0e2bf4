import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { verifyWebhookSignature, WEBHOOK_HEADERS } from '@keyward/webhooks';

/** One request as it arrived: headers, the raw body, when, and what it was answered. */
export interface ReceivedWebhook {
  /** Epoch ms at which the body was complete. */
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature` (empty when absent). */
  id: string;
  timestamp: string;
  signature: string;
  status: number;
}

/** How to answer one request: a status, extra headers, and a delay before answering. */
export interface WebhookAnswer {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** Chooses the answer for a request; `index` counts this path's requests from 0. */
export type Responder = (request: ReceivedWebhook, index: number) => WebhookAnswer;

const answerOk: Responder = () => ({ status: 200 });

/**
 * A webhook receiver for tests: node:http on 127.0.0.1, every request recorded; answers 200
 * unless a path is told otherwise; stops (refusing connections) and starts again on its port.
 */
export class WebhookReceiver {
  private server: Server | undefined;
  private port = 0;
  private readonly received: ReceivedWebhook[] = [];
  private readonly responders = new Map<string, Responder>();

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const header = (name: string) => String(request.headers[name] ?? '');
        const path = (request.url ?? '/').split('?')[0];
        const record: ReceivedWebhook = {
          at: Date.now(),
          method: request.method ?? '',
          path,
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          id: header(WEBHOOK_HEADERS.id),
          timestamp: header(WEBHOOK_HEADERS.timestamp),
          signature: header(WEBHOOK_HEADERS.signature),
          status: 0,
        };
        const index = this.received.filter((r) => r.path === path).length;
        this.received.push(record);
        const responder = this.responders.get(path) ?? answerOk;
        const answer = responder(record, index);
        record.status = answer.status;
        const send = () => {
          response.writeHead(answer.status, answer.headers);
          response.end();
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops open connections: the port refuses until `start()` again. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  respond(path: string, responder: Responder): void {
    this.responders.set(path, responder);
  }

  requests(path?: string): ReceivedWebhook[] {
    return this.received.filter((r) => path === undefined || r.path === path);
  }

  async until(
    what: string,
    ok: (received: ReceivedWebhook[]) => boolean,
    timeoutMs = 20_000,
  ): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (!ok(this.received)) {
      if (Date.now() > deadline) throw new Error(`webhook receiver: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.received;
  }
}

/**
 * Checks a request's signature with the official Standard Webhooks library and with
 * libs/webhooks' verifier; each answer on its own, so a test sees which one disagrees.
 */
export function verifySignature(
  secret: string,
  request: ReceivedWebhook,
): { standardWebhooks: boolean; keyward: boolean } {
  let standardWebhooks = false;
  try {
    new Webhook(secret).verify(request.body, {
      'webhook-id': request.id,
      'webhook-timestamp': request.timestamp,
      'webhook-signature': request.signature,
    });
    standardWebhooks = true;
  } catch {
    standardWebhooks = false;
  }
  const keyward = verifyWebhookSignature(
    secret,
    { id: request.id, timestamp: request.timestamp, signature: request.signature },
    request.body,
  );
  return { standardWebhooks, keyward };
}
