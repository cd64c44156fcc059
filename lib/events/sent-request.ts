/**
 * The request an attempt sent, as each role may see it. The destination's own headers often carry
 * tokens (Authorization, API keys), so only admins see their values, as on the destination page;
 * the Standard Webhooks signature proves nothing to a reader without the secret, and support staff
 * need it to debug a receiver's verification, so only viewers see it masked. Masking happens here,
 * on the server, before anything is serialized.
 */
import type { Role } from '@/lib/db/generated/enums';
import { hasRole } from '@/lib/auth/roles';
import { maskUrlCredentials } from '@/lib/destinations/broker-url';
import { maskSecret } from '@/lib/secrets/encryption';

export interface SentRequestView {
  url: string;
  headers: Record<string, string>;
  /** Names of the headers whose values are masked for this reader. */
  maskedHeaders: string[];
  /** Whether the route's transform shaped this request (docs/transformations.md): the headers above are the transformed ones. */
  transformed: boolean;
  /** The body as sent, when the transform changed it (null: the event's own body went out); cut at 256 KiB when `bodyTruncated`. */
  body: string | null;
  bodyTruncated: boolean;
}

/** Header values only SUPPORT and ADMIN see. */
const SIGNATURE_HEADERS = ['webhook-signature'];

export function sentRequestView(stored: unknown, role: Role): SentRequestView | null {
  if (!stored || typeof stored !== 'object') return null;
  const { url, headers, secretHeaders, transformed, body, bodyTruncated } = stored as {
    url?: unknown;
    headers?: unknown;
    secretHeaders?: unknown;
    transformed?: unknown;
    body?: unknown;
    bodyTruncated?: unknown;
  };
  if (typeof url !== 'string' || !headers || typeof headers !== 'object') return null;
  const secret = new Set<string>();
  if (!hasRole(role, 'ADMIN') && Array.isArray(secretHeaders)) for (const name of secretHeaders) if (typeof name === 'string') secret.add(name.toLowerCase());
  if (!hasRole(role, 'SUPPORT')) for (const name of SIGNATURE_HEADERS) secret.add(name);
  const view: Record<string, string> = {};
  const masked: string[] = [];
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    if (secret.has(name.toLowerCase())) {
      view[name] = maskSecret(value);
      masked.push(name);
    } else view[name] = value;
  }
  return {
    url: maskUrlCredentials(url),
    headers: view,
    maskedHeaders: masked,
    transformed: transformed === true,
    body: typeof body === 'string' ? body : null,
    bodyTruncated: bodyTruncated === true,
  };
}
