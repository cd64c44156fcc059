/**
 * Where Hookyard may send webhooks (docs/contract.md, "Security"). Link-local and cloud-metadata addresses
 * are refused always: a destination URL is a server-side request that an admin (or a stolen
 * admin key) controls, and the metadata service hands out cloud credentials. Private and
 * loopback addresses are refused only with HOOKYARD_BLOCK_PRIVATE_DESTINATIONS=true, because
 * the usual destination is an internal service.
 *
 * The check runs twice: when a destination is saved (`assertDestinationUrlAllowed`, which
 * resolves the host) and when the worker connects (`checkResolvedAddress`, or the ready-made
 * `createGuardedLookup` for an HTTP agent), so a DNS answer that changes later (DNS rebinding)
 * is caught at send time.
 */
import { DESTINATION_SCHEMES, destinationTypeOf } from './destination-options';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from '@/lib/http/errors';

/** What an address is, from the point of view of "may Hookyard send there?". */
export type AddressClass = 'public' | 'private' | 'loopback' | 'link_local' | 'metadata' | 'reserved' | 'invalid';

export type AddressCheck =
  | { allowed: true; addressClass: AddressClass }
  | { allowed: false; addressClass: AddressClass; /** Safe to show: names the address and why. */ reason: string };

/** The error code of a connection refused by `createGuardedLookup` (the worker maps it to `blocked_url`). */
export const BLOCKED_ADDRESS_CODE = 'EHOOKYARD_BLOCKED_ADDRESS';

/** Cloud instance-metadata endpoints: AWS/GCP/Azure/OCI (169.254.169.254), AWS ECS, AWS IPv6, Alibaba, Oracle legacy, Azure WireServer. */
const METADATA_ADDRESSES_V4 = ['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192', '168.63.129.16'];
const METADATA_ADDRESSES_V6 = ['fd00:ec2::254'];

/** Host names that mean "the metadata service" even before DNS answers (GCP, AWS, generic). */
const METADATA_HOSTNAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

function blockList(v4: [string, number][], v6: [string, number][], addresses: { v4?: string[]; v6?: string[] } = {}): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  for (const address of addresses.v4 ?? []) list.addAddress(address, 'ipv4');
  for (const address of addresses.v6 ?? []) list.addAddress(address, 'ipv6');
  return list;
}

const METADATA = blockList([], [], { v4: METADATA_ADDRESSES_V4, v6: METADATA_ADDRESSES_V6 });
const LINK_LOCAL = blockList([['169.254.0.0', 16]], [['fe80::', 10]]);
/** Multicast, broadcast and "reserved for future use": never a webhook receiver. */
const RESERVED = blockList(
  [
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ],
  [['ff00::', 8]],
);
/** Loopback and "this host" (0.0.0.0/8, ::), which Linux routes to the machine itself. */
const LOOPBACK = blockList(
  [
    ['127.0.0.0', 8],
    ['0.0.0.0', 8],
  ],
  [
    ['::1', 128],
    ['::', 128],
  ],
);
/** RFC 1918, CGNAT (RFC 6598), unique-local and the deprecated site-local IPv6 ranges. */
const PRIVATE = blockList(
  [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['100.64.0.0', 10],
  ],
  [
    ['fc00::', 7],
    ['fec0::', 10],
  ],
);

/** The 16 bytes of an IPv6 address (already validated by `isIP`), or null. */
function ipv6Bytes(address: string): number[] | null {
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    tail.push(...dotted[1].split('.').map(Number));
    text = `${text.slice(0, -dotted[1].length)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string | undefined) => (part ? part.split(':').filter((g) => g !== '') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const group of all) {
    const value = Number.parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : null;
}

/**
 * The IPv4 address an IPv6 address stands for, if any: IPv4-mapped (::ffff:a.b.c.d, also
 * written ::ffff:a9fe:a9fe), NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible (::a.b.c.d).
 * A request to any of them can reach the IPv4 host, so they are judged as that host.
 */
export function embeddedIpv4(address: string): string | null {
  const bytes = ipv6Bytes(address);
  if (!bytes) return null;
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = bytes.slice(12, 16).join('.');
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4;
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return v4;
  // ::/96 "IPv4-compatible", but not :: and ::1 themselves.
  if (zeros(0, 12) && !zeros(12, 15)) return v4;
  return null;
}

/** Classifies one IP address (IPv4 or IPv6, brackets allowed). */
export function classifyAddress(ip: string): AddressClass {
  let address = ip.trim().replace(/^\[(.*)\]$/, '$1');
  let family = isIP(address);
  if (family === 0) return 'invalid';
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) {
      address = v4;
      family = 4;
    }
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (METADATA.check(address, type)) return 'metadata';
  if (LINK_LOCAL.check(address, type)) return 'link_local';
  if (RESERVED.check(address, type) || address === '255.255.255.255') return 'reserved';
  if (LOOPBACK.check(address, type)) return 'loopback';
  if (PRIVATE.check(address, type)) return 'private';
  return 'public';
}

const REASONS: Record<Exclude<AddressClass, 'public'>, string> = {
  metadata: 'is a cloud metadata address, which Hookyard never sends to',
  link_local: 'is a link-local address, which Hookyard never sends to',
  reserved: 'is a multicast, broadcast or reserved address, not a web server',
  loopback: 'is a loopback address, refused because HOOKYARD_BLOCK_PRIVATE_DESTINATIONS=true',
  private: 'is a private network address, refused because HOOKYARD_BLOCK_PRIVATE_DESTINATIONS=true',
  invalid: 'is not an IP address',
};

/**
 * May Hookyard connect to this resolved address? The worker calls this for every address it is
 * about to connect to (see `createGuardedLookup`).
 */
export function checkResolvedAddress(ip: string, blockPrivate: boolean): AddressCheck {
  const addressClass = classifyAddress(ip);
  if (addressClass === 'public') return { allowed: true, addressClass };
  if (!blockPrivate && (addressClass === 'private' || addressClass === 'loopback')) return { allowed: true, addressClass };
  return { allowed: false, addressClass, reason: `${ip} ${REASONS[addressClass]}` };
}

/** The host of a URL as DNS and `isIP` expect it: no brackets, no trailing dot, lower case. */
export function normalizeHostname(hostname: string): string {
  return hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

export function isMetadataHostname(hostname: string): boolean {
  return METADATA_HOSTNAMES.has(normalizeHostname(hostname));
}

function refuse(message: string): AppError {
  return new AppError('invalid_input', `url: ${message}`, [{ path: 'url', message }]);
}

/**
 * The URL checks that need no DNS: scheme, no credentials in the URL, not a metadata host name.
 * Returns the parsed URL.
 */
export function parseDestinationUrl(raw: string, allowBrokers = false): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('not a valid URL; expected e.g. https://api.example.com/webhooks');
  }
  const type = destinationTypeOf(raw);
  if (type !== 'http' && !allowBrokers) throw refuse(`the scheme must be http or https, not ${url.protocol.replace(/:$/, '')}`);
  if (!type) throw refuse(`the scheme must be one of ${DESTINATION_SCHEMES.join(', ')}, not ${url.protocol.replace(/:$/, '')}`);
  // A broker URL carries its credentials (stored encrypted and masked: broker-url.ts); an HTTP URL must not.
  if (type === 'http' && (url.username || url.password)) {
    // They would be shown to every role in the destination list; headers are masked instead.
    throw refuse('do not put credentials in the URL; send them as a header (e.g. authorization) instead');
  }
  if (!url.hostname) throw refuse('the URL has no host');
  if (isMetadataHostname(url.hostname)) throw refuse(`${normalizeHostname(url.hostname)} is a cloud metadata host, which Hookyard never sends to`);
  return url;
}

export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

const DNS_TIMEOUT_MS = 5_000;

const systemLookupAll: LookupAll = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

export interface UrlSafetyOptions {
  blockPrivate: boolean;
  /** Accept broker schemes (amqp, redis, nats: destinations); notification channels are HTTP only. */
  allowBrokers?: boolean;
  /** DNS resolver (tests pass a fake one). */
  lookup?: LookupAll;
}

/**
 * Refuses (422, with a message saying why) a destination URL that is not http(s), carries
 * credentials, names a metadata host, or resolves to an address `checkResolvedAddress` refuses.
 * Every address the host resolves to must be allowed. A host that does not resolve is refused
 * too: it is most often a typo, and it could not be checked.
 */
export async function assertDestinationUrlAllowed(raw: string, options: UrlSafetyOptions): Promise<URL> {
  const url = parseDestinationUrl(raw, options.allowBrokers);
  const host = normalizeHostname(url.hostname);
  if (isIP(host)) {
    const verdict = checkResolvedAddress(host, options.blockPrivate);
    if (!verdict.allowed) throw refuse(verdict.reason);
    return url;
  }
  let addresses: LookupAddress[];
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      (options.lookup ?? systemLookupAll)(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('DNS timeout'), { code: 'ETIMEOUT' })), DNS_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOTFOUND' || code === 'ENODATA' ? 'does not resolve' : 'could not be resolved right now; try again';
    throw refuse(`the host ${host} ${why}`);
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) throw refuse(`the host ${host} does not resolve`);
  for (const { address } of addresses) {
    const verdict = checkResolvedAddress(address, options.blockPrivate);
    if (!verdict.allowed) throw refuse(`${host} resolves to ${verdict.reason}`);
  }
  return url;
}

/**
 * A `lookup` for `http.Agent`/`https.Agent` or undici's `connect` options: it resolves like
 * `dns.lookup` and fails with code `EHOOKYARD_BLOCKED_ADDRESS` when any address is refused, so
 * the check applies to the address actually connected to.
 */
export function createGuardedLookup(blockPrivate: boolean): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number } | number, callback: (...args: unknown[]) => void) => {
    const opts = typeof options === 'number' ? { family: options } : (options ?? {});
    dnsLookup(hostname, { ...opts, all: true }, (error, addresses) => {
      if (error) return callback(error);
      for (const { address } of addresses) {
        const verdict = checkResolvedAddress(address, blockPrivate);
        if (!verdict.allowed) {
          return callback(Object.assign(new Error(`${hostname} resolves to ${verdict.reason}`), { code: BLOCKED_ADDRESS_CODE }));
        }
      }
      if (opts.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }));
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}
