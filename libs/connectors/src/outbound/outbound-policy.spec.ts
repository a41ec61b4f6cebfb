import { get as httpGet } from 'node:http';
import { classifyAddress } from './address-class';
import { parseAllowedUpstreamHosts, upstreamOrigin } from './allowed-hosts';
import { createOutboundPolicy, type HostResolver } from './outbound-policy';
import { OutboundRefusedError, findOutboundRefusal } from './outbound-refused.error';

/** A DNS that answers from a table (and counts questions), as a rebinding attacker's would. */
function fakeDns(table: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolver = async (host: string) => {
    asked.push(host);
    const list = table[host];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolver, { asked });
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link_local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link_local'],
    ['::ffff:a00:1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['ff02::1', 'multicast'],
    ['not an ip', 'reserved'],
    ['8.8.8.8', 'public'],
    ['140.82.112.6', 'public'],
    ['172.32.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });
});

describe('PULSE_ALLOWED_UPSTREAM_HOSTS', () => {
  it('parses host[:port] entries, normalizing hosts', () => {
    expect(parseAllowedUpstreamHosts(' GHE.internal:443, 10.0.0.5 ,[::1]:4100,,')).toEqual([
      { host: 'ghe.internal', port: 443 },
      { host: '10.0.0.5', port: null },
      { host: '[::1]', port: 4100 },
    ]);
    expect(parseAllowedUpstreamHosts(undefined)).toEqual([]);
  });

  it.each(['https://ghe.internal', 'ghe.internal/api', '*.corp', 'host:99999', '[not-v6]:80', 'a b'])(
    'refuses %s with a message',
    (raw) => {
      expect(() => parseAllowedUpstreamHosts(raw)).toThrow(/host\[:port\]|port must be|IPv6|valid host/);
    },
  );

  it('compares origins with default ports made explicit', () => {
    expect(upstreamOrigin('https://api.github.com/')).toBe('https://api.github.com:443');
    expect(upstreamOrigin('https://API.github.com:443/x')).toBe('https://api.github.com:443');
    expect(upstreamOrigin('http://127.0.0.1:9/a')).toBe('http://127.0.0.1:9');
  });
});

describe('createOutboundPolicy().check', () => {
  const dns = fakeDns({
    'api.github.com': ['140.82.112.6'],
    'rebind.example': ['140.82.112.6', '127.0.0.1'],
    'metadata.example': ['169.254.169.254'],
    'mapped.example': ['::ffff:127.0.0.1'],
    'ghe.internal': ['10.0.0.5'],
  });
  const policy = createOutboundPolicy({
    allowedHosts: parseAllowedUpstreamHosts('ghe.internal:443,127.0.0.1:4100'),
    resolve: dns,
  });

  it.each([
    ['http://127.0.0.1:3000/api/engagements', /loopback/],
    ['http://2130706433/', /loopback/], // 127.0.0.1 spelled as a number
    ['http://0x7f.1/', /loopback/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://10.0.0.8/', /private/],
    ['http://[::1]:3000/', /loopback/],
    ['http://[::ffff:127.0.0.1]/', /loopback/],
    ['http://0.0.0.0:3000/', /unspecified/],
    ['http://[::]:3000/', /unspecified/],
    ['http://localhost:3000/', /loopback/],
    ['https://rebind.example/', /loopback/],
    ['https://metadata.example/', /link-local/],
    ['https://mapped.example/', /loopback/],
    ['http://ghe.internal/', /private/], // allowed on 443 only
    ['http://127.0.0.1:4101/', /loopback/],
    ['file:///etc/passwd', /http and https/],
    ['https://user:pass@api.github.com/', /user name or password/],
  ])('refuses %s', async (url, message) => {
    const error = await policy.check(url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutboundRefusedError);
    expect((error as Error).message).toMatch(message);
    // the manager learns what to do, not what a host name resolved to
    if (url.includes('.example'))
      expect((error as Error).message).not.toMatch(/127\.0|169\.254|::ffff|140\.82/);
  });

  it.each([
    'https://api.github.com/',
    'https://ghe.internal/api/v3',
    'https://ghe.internal:443/api/v3',
    'http://127.0.0.1:4100/github/api/v3',
    'https://does-not-resolve.example/',
  ])('accepts %s', async (url) => {
    await expect(policy.check(url)).resolves.toBeUndefined();
  });
});

describe('createOutboundPolicy().fetch', () => {
  it('refuses at connect time a host that resolves to loopback, even after a public first answer', async () => {
    let calls = 0;
    // first answer public (what a save-time check would see), then loopback: DNS rebinding
    const rebinding: HostResolver = async () => [
      calls++ === 0 ? { address: '140.82.112.6', family: 4 } : { address: '127.0.0.1', family: 4 },
    ];
    const policy = createOutboundPolicy({ allowedHosts: [], resolve: rebinding });
    await policy.check('http://rebind.example:1/');
    const error = await policy.fetch('http://rebind.example:1/user').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(findOutboundRefusal(error)?.reason).toBe('loopback');
  });

  it.each(['http://127.0.0.1:1/', 'http://localhost:1/', 'http://[::1]:1/', 'http://169.254.169.254/'])(
    'refuses %s before connecting',
    async (url) => {
      const policy = createOutboundPolicy({ allowedHosts: [] });
      const error = await policy.fetch(url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(findOutboundRefusal(error)).toBeInstanceOf(OutboundRefusedError);
    },
  );
});

describe('createOutboundPolicy().agentFor', () => {
  it.each([
    ['169.254.169.254', 80],
    ['127.0.0.1', 3000],
    ['::1', 3000],
    ['localhost', 3000],
  ])('guards every socket it opens, e.g. a redirect to %s', async (host, port) => {
    const policy = createOutboundPolicy({ allowedHosts: [] });
    // an agent handed out for a public host, then used (as a redirect would) elsewhere
    const agent = policy.agentFor('http://api.github.com/');
    const error = await new Promise<unknown>((resolve) => {
      const req = httpGet({ host, port, path: '/', agent }, () => resolve(null));
      req.on('error', resolve);
    });
    expect(error).toBeInstanceOf(OutboundRefusedError);
  });

  it('refuses a URL outright when it is refused without DNS', () => {
    const policy = createOutboundPolicy({ allowedHosts: [] });
    expect(() => policy.agentFor('http://10.0.0.1/')).toThrow(OutboundRefusedError);
  });
});
