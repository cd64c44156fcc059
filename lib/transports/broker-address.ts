/**
 * The SSRF policy of lib/destinations/url-safety.ts for broker connections: before a broker
 * transport opens a connection, every address its host resolves to must pass
 * `checkResolvedAddress` (link-local and metadata always refused; private and loopback only when
 * HOOKYARD_BLOCK_PRIVATE_DESTINATIONS=true). The broker clients resolve the name again when they
 * connect; a connection lives long, so this check is repeated at every (re)connect.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { config } from '@/lib/config/env';
import { BLOCKED_ADDRESS_CODE, checkResolvedAddress, normalizeHostname } from '@/lib/destinations/url-safety';

export async function assertBrokerHostAllowed(url: URL): Promise<void> {
  const host = normalizeHostname(url.hostname);
  const blockPrivate = config().blockPrivateDestinations;
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  for (const address of addresses) {
    const verdict = checkResolvedAddress(address, blockPrivate);
    if (!verdict.allowed) throw Object.assign(new Error(`${host} resolves to ${verdict.reason}`), { code: BLOCKED_ADDRESS_CODE });
  }
}
