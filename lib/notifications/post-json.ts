/**
 * The HTTP POST of Slack and webhook channels: undici with a timeout, and the destination URL
 * rules applied at connect time exactly as the worker's forwards apply them (the guarded DNS
 * lookup of lib/destinations/url-safety.ts, and the IP-literal check the lookup never sees), so
 * a channel URL whose DNS answer changed after it was saved (DNS rebinding) is still refused.
 * Redirects are not followed. Errors are classified like a delivery's (classifyError) and never
 * carry the URL: a Slack URL's path is its credential.
 */
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { config } from '@/lib/config/env';
import { checkResolvedAddress, createGuardedLookup } from '@/lib/destinations/url-safety';
import { classifyError } from '@/lib/worker/send-delivery';
import { delivered, notDelivered, type SendResult } from './send-result';

/** How long a channel's receiver may take to answer. */
export const CHANNEL_TIMEOUT_MS = 10_000;

let agent: Agent | undefined;
function dispatcher(): Agent {
  agent ??= new Agent({ keepAliveTimeout: 10_000, connections: 16, connect: { lookup: createGuardedLookup(config().blockPrivateDestinations) } });
  return agent;
}

export async function closeChannelDispatcher(): Promise<void> {
  const current = agent;
  agent = undefined;
  await current?.close();
}

/** The error's message with the URL (and its path) taken out. */
function scrub(message: string, url: URL): string {
  let text = message;
  for (const secretPart of [url.href, `${url.pathname}${url.search}`]) if (secretPart.length > 1) text = text.split(secretPart).join('/…');
  return text;
}

export async function postJson(rawUrl: string, body: Buffer, headers: Record<string, string>, timeoutMs = CHANNEL_TIMEOUT_MS): Promise<SendResult> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return notDelivered('other', 'the stored URL is not a URL');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    const verdict = checkResolvedAddress(host, config().blockPrivateDestinations);
    if (!verdict.allowed) return notDelivered('blocked_url', `refused: ${verdict.reason}`);
  }
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Hookyard-Notifications', ...headers },
      body,
      dispatcher: dispatcher(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer is not needed: drained so that the connection can be reused.
    await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    if (response.statusCode >= 200 && response.statusCode < 300) return delivered(response.statusCode);
    return notDelivered('http_status', `HTTP ${response.statusCode}`, response.statusCode);
  } catch (error) {
    return notDelivered(classifyError(error), scrub(error instanceof Error ? error.message : String(error), url));
  }
}
