import { BlockList, isIP } from 'node:net';

/** A compiled CIDR allowlist (IPv4 and IPv6). An empty list allows every address. */
export function compileAllowlist(cidrs: readonly string[]): ((ip: string | null) => boolean) | null {
  if (cidrs.length === 0) return null;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, prefix] = cidr.trim().split('/') as [string, string | undefined];
    const family = isIP(address);
    if (family === 0) continue;
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (ip) => {
    if (!ip) return false;
    const family = isIP(ip);
    if (family === 0) return false;
    return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  };
}
