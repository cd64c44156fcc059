import { describe, expect, it } from 'vitest';
import { compileAllowlist } from '@/lib/ingest/ip-allowlist';

describe('compileAllowlist', () => {
  it('allows every address when the list is empty (no check at all)', () => {
    expect(compileAllowlist([])).toBeNull();
  });

  it('allows addresses inside an IPv4 CIDR and refuses the rest', () => {
    const allow = compileAllowlist(['203.0.113.0/24'])!;
    expect(allow('203.0.113.0')).toBe(true);
    expect(allow('203.0.113.255')).toBe(true);
    expect(allow('203.0.114.1')).toBe(false);
    expect(allow('10.0.0.1')).toBe(false);
  });

  it('takes a bare address as that one address', () => {
    const allow = compileAllowlist(['198.51.100.7'])!;
    expect(allow('198.51.100.7')).toBe(true);
    expect(allow('198.51.100.8')).toBe(false);
  });

  it('handles IPv6 CIDRs and addresses, and keeps the families apart', () => {
    const allow = compileAllowlist(['2001:db8::/32', '::1'])!;
    expect(allow('2001:db8:1234::5')).toBe(true);
    expect(allow('2001:db9::1')).toBe(false);
    expect(allow('::1')).toBe(true);
    expect(allow('127.0.0.1')).toBe(false);
  });

  it('combines entries: any one matching is enough', () => {
    const allow = compileAllowlist(['10.0.0.0/8', '192.168.1.0/24', '2001:db8::/48'])!;
    expect(allow('10.200.3.4')).toBe(true);
    expect(allow('192.168.1.20')).toBe(true);
    expect(allow('192.168.2.20')).toBe(false);
    expect(allow('2001:db8:0:ffff::1')).toBe(true);
  });

  it('tolerates whitespace around entries and skips entries that are not addresses', () => {
    const allow = compileAllowlist(['  203.0.113.0/24  ', 'not-an-ip', 'example.com/24'])!;
    expect(allow('203.0.113.9')).toBe(true);
    expect(allow('198.51.100.1')).toBe(false);
  });

  it('refuses a request whose address is unknown or not an IP', () => {
    const allow = compileAllowlist(['0.0.0.0/0'])!;
    expect(allow('8.8.8.8')).toBe(true);
    expect(allow(null)).toBe(false);
    expect(allow('')).toBe(false);
    expect(allow('localhost')).toBe(false);
  });

  it('refuses everything when no entry is usable (a list was given, so it is not "allow all")', () => {
    const allow = compileAllowlist(['garbage'])!;
    expect(allow).not.toBeNull();
    expect(allow('203.0.113.1')).toBe(false);
  });
});
