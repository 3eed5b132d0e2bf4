import ipaddr from 'ipaddr.js';

export interface NetworkPolicy {
  /** CIDRs where addresses that are otherwise refused (loopback, private…) are allowed. */
  allowedNetworks: readonly string[];
}

export type AddressCheck = { ok: true } | { ok: false; message: string };

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Network = [Address, number];

/** `KEYWARD_WEBHOOK_ALLOWED_NETWORKS`: comma-separated CIDRs (a bare address is one host). */
export function parseNetworkPolicy(csv: string | undefined): NetworkPolicy {
  const entries = (csv ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return { allowedNetworks: entries.map(normalizeNetwork) };
}

function normalizeNetwork(entry: string): string {
  try {
    const [address, bits] = entry.includes('/')
      ? ipaddr.parseCIDR(entry)
      : [ipaddr.parse(entry), ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128];
    return `${address.toString()}/${bits}`;
  } catch {
    throw new Error(
      `KEYWARD_WEBHOOK_ALLOWED_NETWORKS: ${JSON.stringify(entry)} is not a CIDR such as 10.0.0.0/8 or fd00::/8`,
    );
  }
}

const networkCache = new WeakMap<NetworkPolicy, Network[]>();

function networksOf(policy: NetworkPolicy): Network[] {
  let networks = networkCache.get(policy);
  if (!networks) {
    networks = policy.allowedNetworks.map((cidr) => ipaddr.parseCIDR(normalizeNetwork(cidr)));
    networkCache.set(policy, networks);
  }
  return networks;
}

function isAllowed(address: Address, policy: NetworkPolicy): boolean {
  return networksOf(policy).some(
    ([network, bits]) => network.kind() === address.kind() && address.match(network, bits),
  );
}

const REASONS: Record<string, string> = {
  private: 'a private address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
  uniqueLocal: 'a unique-local address',
  deprecatedSiteLocal: 'a site-local address',
};

function reasonFor(range: string): string {
  return REASONS[range] ?? `a special-purpose address (${range})`;
}

/** Why a bare IPv4 address may not be a webhook destination, or null when it is public. */
function refusalOfIPv4(address: ipaddr.IPv4): string | null {
  const range = address.range();
  if (range === 'unicast') return null;
  if (range === 'linkLocal' && address.toString() === '169.254.169.254') {
    return 'a link-local address (cloud metadata service)';
  }
  return reasonFor(range);
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * The IPv4 address a transition mechanism carries inside an IPv6 one: connecting to the IPv6
 * address reaches it, so it is checked like a literal IPv4 address.
 */
function embeddedIPv4(address: ipaddr.IPv6): { ipv4: ipaddr.IPv4; via: string } | null {
  const parts = address.parts;
  const v4 = (high: number, low: number) =>
    new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  switch (address.range()) {
    case 'ipv4Mapped':
      return { ipv4: v4(parts[6], parts[7]), via: 'an IPv4-mapped address of' };
    case 'rfc6145':
      return { ipv4: v4(parts[6], parts[7]), via: 'an IPv4-translated address of' };
    case 'rfc6052':
      return { ipv4: v4(parts[6], parts[7]), via: 'a NAT64 address of' };
    case '6to4':
      return { ipv4: v4(parts[1], parts[2]), via: 'a 6to4 address of' };
    case 'teredo':
      return { ipv4: v4(parts[6] ^ 0xffff, parts[7] ^ 0xffff), via: 'a Teredo address of' };
    default:
      return null;
  }
}

function refusalOfIPv6(address: ipaddr.IPv6, policy: NetworkPolicy): string | null {
  const embedded = embeddedIPv4(address);
  if (embedded) {
    if (isAllowed(embedded.ipv4, policy)) return null;
    const refusal = refusalOfIPv4(embedded.ipv4);
    return refusal ? `${embedded.via} ${embedded.ipv4.toString()}, ${refusal}` : null;
  }
  const range = address.range();
  if (range !== 'unicast') return reasonFor(range);
  if (!address.match(GLOBAL_UNICAST_V6)) return 'not a global unicast address';
  return null;
}

/** Whether a webhook may be sent to this address: public, or inside an allowed network. */
export function checkAddress(ip: string, policy: NetworkPolicy): AddressCheck {
  const refusal = addressRefusal(ip, policy);
  return refusal === null ? { ok: true } : { ok: false, message: `${ip} is ${refusal}` };
}

/** Why the address is refused ("a private address"), or null when it is allowed. */
export function addressRefusal(ip: string, policy: NetworkPolicy): string | null {
  if (!ipaddr.isValid(ip)) return 'not an IP address';
  const address = ipaddr.parse(ip);
  if (isAllowed(address, policy)) return null;
  return address.kind() === 'ipv4'
    ? refusalOfIPv4(address as ipaddr.IPv4)
    : refusalOfIPv6(address as ipaddr.IPv6, policy);
}
