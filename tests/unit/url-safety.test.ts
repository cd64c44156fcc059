import { describe, expect, it } from 'vitest';
import { assertDestinationUrlAllowed, checkResolvedAddress, classifyAddress, embeddedIpv4, parseDestinationUrl } from '@/lib/destinations/url-safety';
import { AppError } from '@/lib/http/errors';

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['[fd00:ec2::254]', 'metadata'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['febf::1', 'link_local'],
    ['127.0.0.1', 'loopback'],
    ['127.10.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['::', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['ff02::1', 'reserved'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['not-an-ip', 'invalid'],
  ])('%s is %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  it('finds the IPv4 address inside mapped, NAT64 and compatible IPv6 forms', () => {
    expect(embeddedIpv4('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(embeddedIpv4('::ffff:0102:0304')).toBe('1.2.3.4');
    expect(embeddedIpv4('64:ff9b::102:304')).toBe('1.2.3.4');
    expect(embeddedIpv4('::1.2.3.4')).toBe('1.2.3.4');
    expect(embeddedIpv4('::1')).toBeNull();
    expect(embeddedIpv4('2001:db8::1')).toBeNull();
  });
});

describe('checkResolvedAddress', () => {
  it('always refuses metadata and link-local; refuses private and loopback only when asked', () => {
    for (const blockPrivate of [false, true]) {
      expect(checkResolvedAddress('169.254.169.254', blockPrivate)).toMatchObject({ allowed: false, addressClass: 'metadata' });
      expect(checkResolvedAddress('fe80::1', blockPrivate)).toMatchObject({ allowed: false, addressClass: 'link_local' });
      expect(checkResolvedAddress('93.184.216.34', blockPrivate)).toMatchObject({ allowed: true });
    }
    expect(checkResolvedAddress('127.0.0.1', false).allowed).toBe(true);
    expect(checkResolvedAddress('10.0.0.1', false).allowed).toBe(true);
    const refused = checkResolvedAddress('10.0.0.1', true);
    expect(refused).toMatchObject({ allowed: false, addressClass: 'private' });
    expect(refused.allowed ? '' : refused.reason).toMatch(/HOOKYARD_BLOCK_PRIVATE_DESTINATIONS/);
    expect(checkResolvedAddress('::1', true)).toMatchObject({ allowed: false, addressClass: 'loopback' });
  });
});

async function refusal(url: string, blockPrivate = false, addresses: string[] = []): Promise<string | null> {
  try {
    await assertDestinationUrlAllowed(url, {
      blockPrivate,
      lookup: async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    });
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    return (error as AppError).message;
  }
}

describe('assertDestinationUrlAllowed', () => {
  it('allows public hosts and, by default, private and loopback ones', async () => {
    expect(await refusal('https://api.example.com/hooks', false, ['93.184.216.34'])).toBeNull();
    expect(await refusal('http://127.0.0.1:4000/hooks')).toBeNull();
    expect(await refusal('http://[::1]:4000/hooks')).toBeNull();
    expect(await refusal('http://agent.internal/hooks', false, ['10.0.0.7'])).toBeNull();
  });

  it('refuses other schemes, credentials in the URL and malformed URLs', async () => {
    expect(await refusal('ftp://example.com/x')).toMatch(/http or https|must be one of/);
    expect(await refusal('file:///etc/passwd')).toMatch(/http or https|must be one of/);
    expect(await refusal('https://user:pass@example.com/x', false, ['93.184.216.34'])).toMatch(/credentials/);
    expect(await refusal('not a url')).toMatch(/not a valid URL/);
  });

  it('refuses metadata and link-local addresses always, in every spelling', async () => {
    expect(await refusal('http://169.254.169.254/latest/meta-data/')).toMatch(/metadata/);
    expect(await refusal('http://[::ffff:169.254.169.254]/')).toMatch(/metadata/);
    expect(await refusal('http://[fd00:ec2::254]/')).toMatch(/metadata/);
    expect(await refusal('http://0xa9.0xfe.0xa9.0xfe/')).toMatch(/metadata/); // WHATWG URL normalises hex IPv4
    expect(await refusal('http://2852039166/')).toMatch(/metadata/);
    expect(await refusal('http://metadata.google.internal/computeMetadata/v1/')).toMatch(/metadata host/);
    expect(await refusal('http://METADATA.GOOGLE.INTERNAL./')).toMatch(/metadata host/);
    expect(await refusal('http://[fe80::1]/')).toMatch(/link-local/);
    expect(await refusal('http://rebind.example.com/', false, ['93.184.216.34', '169.254.169.254'])).toMatch(/resolves to 169.254.169.254/);
  });

  // The security suite's SSRF spellings (issue 15): each names the metadata service without
  // saying 169.254.169.254, and none may reach DNS (the lookup here would answer a public address).
  it.each([
    ['hex, one number', 'http://0xa9fea9fe/latest/meta-data/', /metadata/],
    ['decimal, one number', 'http://2852039166/latest/meta-data/', /metadata/],
    ['octal dotted', 'http://0251.0376.0251.0376/', /metadata/],
    ['IPv6-mapped, dotted', 'http://[::ffff:169.254.169.254]/', /metadata/],
    ['IPv6-mapped, hex', 'http://[::ffff:a9fe:a9fe]/', /metadata/],
    ['trailing dot', 'http://metadata.google.internal./computeMetadata/v1/', /metadata host/],
    ['link-local IPv6', 'http://[fe80::1]/', /link-local/],
    ['link-local IPv6 with a port', 'http://[fe80::1]:8080/', /link-local/],
    ['the bare metadata name', 'http://metadata/', /metadata host/],
    ['GCP short name', 'http://metadata.goog/', /metadata host/],
    ['AWS name', 'http://instance-data.ec2.internal/latest/', /metadata host/],
    ['AWS ECS credentials address', 'http://169.254.170.2/v2/credentials', /metadata/],
    ['Alibaba metadata', 'http://100.100.100.200/latest/meta-data/', /metadata/],
  ])('refuses the metadata service spelt as %s (%s), with or without blockPrivate', async (_name, url, reason) => {
    expect(await refusal(url, false, ['93.184.216.34'])).toMatch(reason);
    expect(await refusal(url, true, ['93.184.216.34'])).toMatch(reason);
  });

  it('refuses private and loopback addresses with blockPrivate', async () => {
    expect(await refusal('http://127.0.0.1:4000/', true)).toMatch(/loopback/);
    expect(await refusal('http://0.0.0.0:4000/', true)).toMatch(/loopback/);
    expect(await refusal('http://[::1]/', true)).toMatch(/loopback/);
    expect(await refusal('http://192.168.1.10/', true)).toMatch(/private/);
    expect(await refusal('http://agent.internal/', true, ['10.0.0.7'])).toMatch(/agent.internal resolves to 10.0.0.7/);
    expect(await refusal('http://cgnat.example/', true, ['100.64.1.1'])).toMatch(/private/);
    expect(await refusal('http://[fd12::1]/', true)).toMatch(/private/);
  });

  it('refuses hosts that do not resolve', async () => {
    expect(await refusal('https://nothing.invalid/', false, [])).toMatch(/does not resolve/);
    const failing = assertDestinationUrlAllowed('https://nxdomain.example/', {
      blockPrivate: false,
      lookup: async () => {
        throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
      },
    });
    await expect(failing).rejects.toThrow(/does not resolve/);
  });

  it('parses the URL without DNS for the form-level checks', () => {
    expect(parseDestinationUrl('https://example.com/a?b=1').pathname).toBe('/a');
  });
});
