/**
 * What the browser-security rules (lib/http/security-headers.ts, lib/http/same-origin.ts) need to
 * know about the deployment, read once per process: they run on every dashboard request, in
 * proxy.ts and in the route and action wrappers.
 * - publicUrl: HOOKYARD_PUBLIC_URL (its origin is the dashboard's own; https turns HSTS on);
 * - trustProxy: HOOKYARD_TRUST_PROXY (X-Forwarded-Host/Proto then say where the browser was);
 * - oidcIssuerOrigin: HOOKYARD_OIDC_ISSUER's origin, which the sign-in form may post to (some
 *   providers answer with a form that posts back; the CSP's form-action must allow it). Its full
 *   validation belongs to the SSO settings; an unparsable value adds nothing here.
 * - dev: `next dev`, whose React needs eval for its debugging aids (never in production).
 */
import { readBoolean, readPublicUrl } from './env';

type Env = Record<string, string | undefined>;

export interface BrowserSecuritySettings {
  publicUrl: string | null;
  trustProxy: boolean;
  oidcIssuerOrigin: string | null;
  dev: boolean;
}

function originOf(raw: string | undefined): string | null {
  if (!raw?.trim()) return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

export function readBrowserSecuritySettings(env: Env = process.env): BrowserSecuritySettings {
  return {
    publicUrl: readPublicUrl(env.HOOKYARD_PUBLIC_URL),
    trustProxy: readBoolean('HOOKYARD_TRUST_PROXY', env.HOOKYARD_TRUST_PROXY),
    oidcIssuerOrigin: originOf(env.HOOKYARD_OIDC_ISSUER),
    dev: env.NODE_ENV === 'development',
  };
}

let cached: BrowserSecuritySettings | undefined;

/** This process's settings, read once. */
export function browserSecuritySettings(): BrowserSecuritySettings {
  cached ??= readBrowserSecuritySettings();
  return cached;
}
