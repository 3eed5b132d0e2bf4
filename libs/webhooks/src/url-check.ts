import { lookup as dnsLookup } from 'dns/promises';
import { addressRefusal, type NetworkPolicy } from './network-policy';

export type UrlCheck =
  | { ok: true; url: URL }
  | { ok: false; code: 'WEBHOOK.INVALID_URL' | 'WEBHOOK.URL_NOT_ALLOWED'; message: string };

/** Every address a host name resolves to. */
export type LookupFn = (hostname: string) => Promise<readonly string[]>;

export const MAX_WEBHOOK_URL_LENGTH = 2048;
const DEFAULT_RESOLVE_TIMEOUT_MS = 1000;
const LOOPBACK_NAMES = new Set(['localhost', 'localhost.']);

const invalid = (message: string): UrlCheck => ({
  ok: false,
  code: 'WEBHOOK.INVALID_URL',
  message,
});
const notAllowed = (message: string): UrlCheck => ({
  ok: false,
  code: 'WEBHOOK.URL_NOT_ALLOWED',
  message,
});

/**
 * What can be decided without DNS: the syntax, the scheme, and a literal IP host (which the
 * WHATWG parser has already normalized, so `http://0x7f.1/` is checked as 127.0.0.1).
 */
export function checkWebhookUrl(raw: string, policy: NetworkPolicy): UrlCheck {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) {
    return invalid(`url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) {
    return invalid('url must not contain spaces or control characters');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid('url must be an absolute URL such as https://example.com/hooks');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return invalid(`url scheme must be https: (or http: to localhost), not ${url.protocol}`);
  }
  if (url.hostname === '') return invalid('url must have a host');
  if (url.username !== '' || url.password !== '') {
    return invalid('url must not contain a user name or password');
  }
  if (url.hash !== '' || raw.includes('#')) return invalid('url must not contain a fragment');
  const literal = literalAddress(url.hostname);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname, literal)) {
    return notAllowed(
      'http: is only allowed to a loopback host (localhost, 127.0.0.0/8, [::1]); use https:',
    );
  }
  const checked = literal ?? (LOOPBACK_NAMES.has(url.hostname) ? '127.0.0.1' : null);
  if (checked !== null) {
    const refusal = addressRefusal(checked, policy);
    if (refusal !== null) {
      const subject = literal === null ? `${url.hostname} (${checked})` : checked;
      return notAllowed(`${subject} is ${refusal}`);
    }
  }
  return { ok: true, url };
}

/**
 * Registration-time best effort: a name that resolves to a refused address is refused; a name
 * that does not resolve (yet), or not within the timeout, is accepted. Delivery checks again
 * and pins the connection to a checked address.
 */
export async function checkResolvedUrl(
  url: URL,
  policy: NetworkPolicy,
  lookup: LookupFn = systemLookup,
  timeoutMs: number = DEFAULT_RESOLVE_TIMEOUT_MS,
): Promise<UrlCheck> {
  if (literalAddress(url.hostname) !== null) return { ok: true, url };
  const addresses = await resolveWithin(url.hostname, lookup, timeoutMs);
  for (const address of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal !== null) return notAllowed(`${url.hostname} resolves to ${address}, ${refusal}`);
  }
  return { ok: true, url };
}

/** The IP address a URL's hostname spells, without IPv6 brackets, or null for a name. */
function literalAddress(hostname: string): string | null {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return hostname.slice(1, -1);
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) ? hostname : null;
}

function isLoopbackHost(hostname: string, literal: string | null): boolean {
  if (literal === null) return LOOPBACK_NAMES.has(hostname);
  return literal === '::1' || /^127\./.test(literal);
}

async function resolveWithin(
  hostname: string,
  lookup: LookupFn,
  timeoutMs: number,
): Promise<readonly string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<readonly string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  try {
    return await Promise.race([lookup(hostname).catch(() => [] as readonly string[]), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const systemLookup: LookupFn = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
