/**
 * The one owner of the browser-security headers (SPEC "Browser security", docs/security.md).
 * proxy.ts puts them on every dashboard response, pages, sign-in, JSON API and assets alike.
 *
 * The Content-Security-Policy allows scripts only with this response's nonce ('strict-dynamic'
 * lets those scripts load the app's own chunks): an injected `<script>` or `onerror=` runs
 * nowhere, even if some page ever printed markup unescaped. Next.js reads the nonce from the
 * request's copy of the policy and puts it on its own scripts. Styles keep 'unsafe-inline':
 * the charts (recharts) and React's `style={…}` set inline styles, and a style cannot run code.
 * Without a nonce (JSON, assets) scripts are simply 'self'. Nothing may frame the dashboard
 * (frame-ancestors 'none', and X-Frame-Options for browsers that predate it). HSTS is sent only
 * when HOOKYARD_PUBLIC_URL is https: over plain http it would be ignored, and it must never pin a
 * deployment that is not served over TLS.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserSecuritySettings } from '@/lib/config/browser-security';

/** One year; no includeSubDomains: the dashboard's host says nothing about its siblings. */
const HSTS = 'max-age=31536000';

/** Features the dashboard never uses, refused for it and anything it embeds. */
const PERMISSIONS_POLICY = ['accelerometer', 'camera', 'geolocation', 'gyroscope', 'magnetometer', 'microphone', 'payment', 'usb']
  .map((feature) => `${feature}=()`)
  .join(', ');

/** A fresh, unguessable nonce: one per response. */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

type CspSettings = Pick<BrowserSecuritySettings, 'dev' | 'oidcIssuerOrigin'>;

export function contentSecurityPolicy(settings: CspSettings, nonce?: string): string {
  const scripts = nonce ? ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"] : ["'self'"];
  // React in `next dev` evaluates code to rebuild server error stacks; production never does.
  if (settings.dev) scripts.push("'unsafe-eval'");
  const formAction = ["'self'", ...(settings.oidcIssuerOrigin ? [settings.oidcIssuerOrigin] : [])];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${formAction.join(' ')}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

function isHttps(publicUrl: string | null): boolean {
  return publicUrl !== null && publicUrl.toLowerCase().startsWith('https://');
}

/** The whole header set of one response (lower-case names). */
export function securityHeaders(settings: CspSettings & Pick<BrowserSecuritySettings, 'publicUrl'>, nonce?: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(settings, nonce),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'permissions-policy': PERMISSIONS_POLICY,
    'x-frame-options': 'DENY',
    ...(isHttps(settings.publicUrl) ? { 'strict-transport-security': HSTS } : {}),
  };
}
