import { parseNetworkPolicy } from './network-policy';
import { checkResolvedUrl, checkWebhookUrl, type LookupFn } from './url-check';

const strict = parseNetworkPolicy(undefined);
const development = parseNetworkPolicy('127.0.0.0/8,::1/128');
const lab = parseNetworkPolicy('10.20.0.0/16, fd00::/8');

type Expected = 'ok' | 'INVALID_URL' | 'URL_NOT_ALLOWED';
const cases: [string, Expected, RegExp | null][] = [
  ['https://hooks.example.com/keyward', 'ok', null],
  ['https://hooks.example.com:8443/a/b?x=1', 'ok', null],
  ['https://93.184.216.34/hook', 'ok', null],
  ['https://[2606:4700::6810:84e5]/hook', 'ok', null],
  ['https://[::ffff:8.8.8.8]/hook', 'ok', null],
  ['http://hooks.example.com/keyward', 'URL_NOT_ALLOWED', /http: is only allowed to a loopback/],
  ['http://93.184.216.34/', 'URL_NOT_ALLOWED', /only allowed to a loopback host/],
  ['ftp://hooks.example.com/', 'INVALID_URL', /scheme must be https/],
  ['javascript:alert(1)', 'INVALID_URL', /scheme/],
  ['file:///etc/passwd', 'INVALID_URL', /scheme/],
  ['hooks.example.com/keyward', 'INVALID_URL', /absolute URL/],
  ['', 'INVALID_URL', /absolute URL/],
  ['https://user:pass@hooks.example.com/', 'INVALID_URL', /user name or password/],
  ['https://user@hooks.example.com/', 'INVALID_URL', /user name or password/],
  ['https://hooks.example.com/#frag', 'INVALID_URL', /fragment/],
  ['https://hooks.example.com/#', 'INVALID_URL', /fragment/],
  ['https://hooks.example.com/ a', 'INVALID_URL', /spaces/],
  [`https://hooks.example.com/${'a'.repeat(2030)}`, 'INVALID_URL', /at most 2048/],
  ['https://1.2.3.999/', 'INVALID_URL', /absolute URL/],
  ['http://localhost:9000/hook', 'URL_NOT_ALLOWED', /localhost \(127\.0\.0\.1\) is a loopback/],
  ['http://127.0.0.1:9000/hook', 'URL_NOT_ALLOWED', /127\.0\.0\.1 is a loopback address/],
  ['https://[::1]/', 'URL_NOT_ALLOWED', /::1 is a loopback address/],
  ['http://169.254.169.254/latest/meta-data', 'URL_NOT_ALLOWED', /only allowed to a loopback/],
  ['https://169.254.169.254/latest/meta-data', 'URL_NOT_ALLOWED', /cloud metadata/],
  ['https://10.0.0.5/', 'URL_NOT_ALLOWED', /10\.0\.0\.5 is a private address/],
  ['https://172.16.0.1/', 'URL_NOT_ALLOWED', /private/],
  ['https://172.31.255.255/', 'URL_NOT_ALLOWED', /private/],
  ['https://172.32.0.1/', 'ok', null],
  ['https://192.168.1.1/', 'URL_NOT_ALLOWED', /private/],
  ['https://100.64.0.1/', 'URL_NOT_ALLOWED', /carrier-grade NAT/],
  ['https://0.0.0.0/', 'URL_NOT_ALLOWED', /unspecified/],
  ['https://255.255.255.255/', 'URL_NOT_ALLOWED', /broadcast/],
  ['https://224.0.0.1/', 'URL_NOT_ALLOWED', /multicast/],
  ['https://240.0.0.1/', 'URL_NOT_ALLOWED', /reserved/],
  ['https://[::]/', 'URL_NOT_ALLOWED', /:: is an unspecified address/],
  ['https://[fc00::1]/', 'URL_NOT_ALLOWED', /unique-local/],
  ['https://[fd12:3456::1]/', 'URL_NOT_ALLOWED', /unique-local/],
  ['https://[fe80::1]/', 'URL_NOT_ALLOWED', /link-local/],
  ['https://[ff02::1]/', 'URL_NOT_ALLOWED', /multicast/],
  [
    'https://[::ffff:10.0.0.1]/',
    'URL_NOT_ALLOWED',
    /IPv4-mapped address of 10\.0\.0\.1, a private/,
  ],
  [
    'https://[::ffff:127.0.0.1]/',
    'URL_NOT_ALLOWED',
    /IPv4-mapped address of 127\.0\.0\.1, a loopback/,
  ],
  ['https://[::ffff:169.254.169.254]/', 'URL_NOT_ALLOWED', /cloud metadata/],
  ['https://[2002:0a00:0001::]/', 'URL_NOT_ALLOWED', /6to4 address of 10\.0\.0\.1, a private/],
  ['https://[2002:5db8:d822::1]/', 'ok', null],
  ['https://[64:ff9b::10.0.0.1]/', 'URL_NOT_ALLOWED', /NAT64 address of 10\.0\.0\.1/],
  // Teredo: the client address is stored inverted (192.168.0.1 → 3f57:fffe).
  [
    'https://[2001:0:4136:e378:8000:63bf:3f57:fffe]/',
    'URL_NOT_ALLOWED',
    /Teredo address of 192\.168\.0\.1/,
  ],
  ['https://[2001:db8::1]/', 'URL_NOT_ALLOWED', /reserved/],
  ['https://[100::1]/', 'URL_NOT_ALLOWED', /special-purpose/],
  // WHATWG URL normalizes every IPv4 spelling before the check sees it.
  ['http://2130706433/', 'URL_NOT_ALLOWED', /127\.0\.0\.1 is a loopback/],
  ['http://0x7f.1/', 'URL_NOT_ALLOWED', /127\.0\.0\.1 is a loopback/],
  ['http://0177.0.0.1/', 'URL_NOT_ALLOWED', /127\.0\.0\.1 is a loopback/],
  ['https://0xa.0.0.5/', 'URL_NOT_ALLOWED', /10\.0\.0\.5 is a private/],
  ['https://167772165/', 'URL_NOT_ALLOWED', /10\.0\.0\.5 is a private/],
  ['https://012.0.0.5/', 'URL_NOT_ALLOWED', /10\.0\.0\.5 is a private/],
];

describe('checkWebhookUrl (no allowed networks)', () => {
  it.each(cases)('%s → %s', (raw, expected, message) => {
    const result = checkWebhookUrl(raw, strict);
    if (expected === 'ok') {
      expect(result).toEqual({ ok: true, url: new URL(raw) });
      return;
    }
    expect(result).toMatchObject({ ok: false, code: `WEBHOOK.${expected}` });
    if (message && !result.ok) expect(result.message).toMatch(message);
  });
});

describe('checkWebhookUrl with allowed networks', () => {
  const allowed: [string, typeof development][] = [
    ['http://localhost:9000/hook', development],
    ['http://127.0.0.1:9000/hook', development],
    ['http://127.8.9.10/hook', development],
    ['http://[::1]:9000/hook', development],
    ['http://0x7f.1/', development],
    ['https://[::ffff:127.0.0.1]/', development],
    ['https://10.20.3.4/', lab],
    ['https://[fd00::5]/', lab],
    ['https://[::ffff:10.20.0.1]/', lab],
  ];
  it.each(allowed)('%s is allowed', (raw, policy) => {
    expect(checkWebhookUrl(raw, policy)).toMatchObject({ ok: true });
  });

  const refused: [string, typeof development, RegExp][] = [
    ['http://10.20.3.4/', lab, /only allowed to a loopback/],
    ['https://10.21.0.1/', lab, /private/],
    ['https://[fc00::1]/', lab, /unique-local/],
    ['https://192.168.0.1/', development, /private/],
    ['http://localhost/', lab, /loopback/],
  ];
  it.each(refused)('%s is still refused', (raw, policy, message) => {
    const result = checkWebhookUrl(raw, policy);
    expect(result).toMatchObject({ ok: false, code: 'WEBHOOK.URL_NOT_ALLOWED' });
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('parseNetworkPolicy', () => {
  it('reads comma-separated CIDRs and bare addresses', () => {
    expect(parseNetworkPolicy(' 127.0.0.0/8, ::1 ,10.0.0.7,').allowedNetworks).toEqual([
      '127.0.0.0/8',
      '::1/128',
      '10.0.0.7/32',
    ]);
    expect(parseNetworkPolicy('').allowedNetworks).toEqual([]);
  });

  it('throws a clear error on a bad entry', () => {
    expect(() => parseNetworkPolicy('10.0.0.0/33')).toThrow(/"10\.0\.0\.0\/33" is not a CIDR/);
    expect(() => parseNetworkPolicy('intranet')).toThrow(/KEYWARD_WEBHOOK_ALLOWED_NETWORKS/);
  });
});

describe('checkResolvedUrl', () => {
  const resolvingTo =
    (...addresses: string[]): LookupFn =>
    async () =>
      addresses;
  const url = new URL('https://hooks.example.com/keyward');

  it('accepts a name whose addresses are all public', async () => {
    const result = await checkResolvedUrl(
      url,
      strict,
      resolvingTo('93.184.216.34', '2606:4700::1'),
    );
    expect(result).toEqual({ ok: true, url });
  });

  it('refuses a name when any address is refused, naming it', async () => {
    const result = await checkResolvedUrl(url, strict, resolvingTo('93.184.216.34', '10.0.0.5'));
    expect(result).toEqual({
      ok: false,
      code: 'WEBHOOK.URL_NOT_ALLOWED',
      message: 'hooks.example.com resolves to 10.0.0.5, a private address',
    });
  });

  it('accepts a resolved address inside an allowed network', async () => {
    const result = await checkResolvedUrl(url, lab, resolvingTo('10.20.0.9'));
    expect(result).toMatchObject({ ok: true });
  });

  it('accepts a name that does not resolve, or not in time', async () => {
    const failing: LookupFn = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await checkResolvedUrl(url, strict, failing)).toMatchObject({ ok: true });
    const hanging: LookupFn = () => new Promise(() => undefined);
    const started = Date.now();
    expect(await checkResolvedUrl(url, strict, hanging, 50)).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not resolve a literal address', async () => {
    const lookup = jest.fn(resolvingTo('10.0.0.1'));
    await checkResolvedUrl(new URL('https://93.184.216.34/'), strict, lookup);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('resolves localhost through the system resolver', async () => {
    const result = await checkResolvedUrl(new URL('http://localhost/'), strict);
    expect(result).toMatchObject({ ok: false, code: 'WEBHOOK.URL_NOT_ALLOWED' });
    if (!result.ok) expect(result.message).toMatch(/localhost resolves to .*loopback/);
  });
});
