import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import {
  generateWebhookSecret,
  parseNetworkPolicy,
  verifyWebhookSignature,
  WEBHOOK_HEADERS,
} from '@keyward/webhooks';
import { pinnedLookup, type ResolveAll } from './pinned-lookup';
import { webhookSender } from './webhook-sender';

const LOOPBACK = parseNetworkPolicy('127.0.0.0/8,::1/128');
const NOTHING = parseNetworkPolicy('');

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server answering with `respond`, recording each request it receives. */
async function receiver(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      respond(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A listener that counts connections (one that must not be connected to, or where one went). */
async function tripwire(host = '127.0.0.1', port = 0) {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const resolveTo =
  (...addresses: string[]): ResolveAll =>
  (_hostname, callback) =>
    callback(
      null,
      addresses.map((address) => ({ address, family: net.isIP(address) as 4 | 6 })),
    );

describe('webhook sender (a real local HTTP server)', () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({ eventId: 'evt-1', type: 'key.revoked', data: { é: 'ü' } });
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function sender(options: Partial<Parameters<typeof webhookSender>[0]> = {}) {
    const built = webhookSender({ policy: LOOPBACK, timeoutMs: 2_000, ...options });
    cleanup.push(() => built.close());
    return built.send;
  }

  it('POSTs the body with Standard Webhooks headers whose signature verifies; 2xx is delivered', async () => {
    const server = await receiver((_req, res) => res.writeHead(204).end());
    cleanup.push(server.close);
    const send = sender();
    const result = await send({
      url: `http://127.0.0.1:${server.port}/hooks?x=1`,
      secret,
      id: 'evt-1',
      body,
    });
    expect(result).toMatchObject({ outcome: 'delivered', statusCode: 204, error: null });
    const [request] = server.received;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks?x=1', body });
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Keyward-Webhooks/1',
      [WEBHOOK_HEADERS.id]: 'evt-1',
    });
    const headers = {
      id: String(request.headers[WEBHOOK_HEADERS.id]),
      timestamp: String(request.headers[WEBHOOK_HEADERS.timestamp]),
      signature: String(request.headers[WEBHOOK_HEADERS.signature]),
    };
    expect(Math.abs(Number(headers.timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(verifyWebhookSignature(secret, headers, request.body)).toBe(true);
    expect(verifyWebhookSignature(secret, headers, request.body.replace('ü', 'u'))).toBe(false);
    expect(verifyWebhookSignature(generateWebhookSecret(), headers, request.body)).toBe(false);
  });

  it('a non-2xx answer is a failed attempt with its status', async () => {
    const server = await receiver((_req, res) => res.writeHead(503).end('busy'));
    cleanup.push(server.close);
    const result = await sender()({
      url: `http://localhost:${server.port}/`,
      secret,
      id: 'evt-2',
      body,
    });
    expect(result).toMatchObject({ outcome: 'failed', statusCode: 503, error: 'HTTP 503' });
  });

  it('does not follow a redirect: a 3xx is a failed attempt and the target hears nothing', async () => {
    const target = await receiver((_req, res) => res.writeHead(200).end());
    cleanup.push(target.close);
    const server = await receiver((_req, res) =>
      res.writeHead(307, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end(),
    );
    cleanup.push(server.close);
    const result = await sender()({
      url: `http://127.0.0.1:${server.port}/`,
      secret,
      id: 'evt-3',
      body,
    });
    expect(result).toMatchObject({ outcome: 'failed', statusCode: 307 });
    expect(result.error).toBe(
      `redirect not followed (HTTP 307 to http://127.0.0.1:${target.port}/elsewhere)`,
    );
    expect(target.received).toEqual([]);
  });

  it('gives up after the timeout', async () => {
    const server = await receiver(() => undefined);
    cleanup.push(server.close);
    const started = Date.now();
    const result = await sender({ timeoutMs: 300 })({
      url: `http://127.0.0.1:${server.port}/`,
      secret,
      id: 'evt-4',
      body,
    });
    expect(result).toMatchObject({
      outcome: 'failed',
      statusCode: null,
      error: 'timed out after 300 ms',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('never connects to a refused address: a literal one, nor one a name resolves to', async () => {
    const listener = await tripwire();
    cleanup.push(listener.close);
    const send = sender({ policy: NOTHING, resolve: resolveTo('127.0.0.1') });
    const literal = await send({
      url: `http://127.0.0.1:${listener.port}/`,
      secret,
      id: 'evt-5',
      body,
    });
    expect(literal).toMatchObject({ outcome: 'failed', statusCode: null });
    expect(literal.error).toMatch(/127\.0\.0\.1 is a loopback address/);
    const named = await send({
      url: `https://rebinding.example:${listener.port}/`,
      secret,
      id: 'evt-5',
      body,
    });
    expect(named).toMatchObject({ outcome: 'failed', statusCode: null });
    expect(named.error).toBe(
      'rebinding.example resolves to 127.0.0.1 is a loopback address: not connected',
    );
    const mapped = await send({
      url: `https://[::ffff:127.0.0.1]:${listener.port}/`,
      secret,
      id: 'evt-5',
      body,
    });
    expect(mapped.outcome).toBe('failed');
    expect(listener.connections()).toBe(0);
  });

  it('connects only to an allowed address among those a name resolves to (pinned)', async () => {
    const allowed = await tripwire('127.0.0.1');
    cleanup.push(allowed.close);
    // The same port on 127.0.0.2, outside the allowed network, resolved first.
    const refused = await tripwire('127.0.0.2', allowed.port);
    cleanup.push(refused.close);
    const send = sender({
      policy: parseNetworkPolicy('127.0.0.1/32'),
      resolve: resolveTo('127.0.0.2', '10.1.2.3', '127.0.0.1'),
    });
    // https to a plain TCP listener: the TLS handshake fails, but the connection shows where
    // the socket went.
    const result = await send({
      url: `https://hooks.example:${allowed.port}/`,
      secret,
      id: 'evt-6',
      body,
    });
    expect(result.outcome).toBe('failed');
    expect(refused.connections()).toBe(0);
    expect(allowed.connections()).toBe(1);
  });

  it('checks the URL again on every attempt', async () => {
    const listener = await tripwire();
    cleanup.push(listener.close);
    const send = sender();
    for (const url of [
      `http://user:pw@127.0.0.1:${listener.port}/`,
      `ftp://127.0.0.1:${listener.port}/`,
      `http://127.0.0.1:${listener.port}/#fragment`,
    ]) {
      const result = await send({ url, secret, id: 'evt-7', body });
      expect(result).toMatchObject({ outcome: 'failed', statusCode: null });
    }
    expect(listener.connections()).toBe(0);
  });
});

describe('pinnedLookup', () => {
  const policy = parseNetworkPolicy('127.0.0.0/8');
  const lookupOf = (...addresses: string[]) => pinnedLookup(policy, resolveTo(...addresses));
  const call = (
    lookup: ReturnType<typeof pinnedLookup>,
    options: { all?: boolean; family?: number },
  ) =>
    new Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }>(
      (resolve) =>
        lookup('h.example', options, (error, address, family) =>
          resolve({ error, address, family }),
        ),
    );

  it('hands the socket only the allowed addresses, in both calling conventions', async () => {
    const lookup = lookupOf('10.0.0.1', '127.0.0.2', '93.184.216.34');
    expect((await call(lookup, { all: true })).address).toEqual([
      { address: '127.0.0.2', family: 4 },
      { address: '93.184.216.34', family: 4 },
    ]);
    expect(await call(lookup, {})).toMatchObject({ address: '127.0.0.2', family: 4 });
  });

  it('fails with every refusal when no address is allowed', async () => {
    const { error } = await call(lookupOf('10.0.0.1', 'fd00::1'), { all: true });
    expect(error?.message).toBe(
      'h.example resolves to 10.0.0.1 is a private address; fd00::1 is a unique-local address',
    );
  });
});
