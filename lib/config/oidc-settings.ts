/**
 * Single sign-on settings (SPEC "Single sign-on"): OpenID Connect is on when the issuer, the
 * client id and the client secret are all set. Read and validated here like every other setting
 * (settings.ts), so that a role map with a typo stops start-up with one line naming it, instead
 * of quietly signing everyone in as the default role.
 */
import type { Role } from '@/lib/db/generated/enums';
import { ConfigError, readBoolean } from './env';

type Env = Record<string, string | undefined>;

// lib/auth/roles.ts has the same list; it is repeated because lib/config imports nothing of the domain.
const ROLES = ['ADMIN', 'SUPPORT', 'VIEWER'] as const satisfies readonly Role[];

export interface OidcSettings {
  /** The issuer URL, without a trailing slash (discovery is at issuer + /.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the login button says: "Sign in with {name}". */
  name: string;
  /** The id token / userinfo claim that carries the role or the groups (a string or an array), or null. */
  roleClaim: string | null;
  /** Claim value (e.g. a group name) → role. Without a map, the claim's values are read as role names. */
  roleMap: Record<string, Role> | null;
  /** The role of a user whose claim matches nothing (default VIEWER). */
  defaultRole: Role;
  /** HOOKYARD_OIDC_SCOPES: the scopes asked for (default `openid email profile`; Dex needs `groups` added). */
  scopes: string;
}

export interface SignInSettings {
  /** null when SSO is not configured. */
  oidc: OidcSettings | null;
  /** HOOKYARD_PASSWORD_LOGIN (default true): false removes the email and password sign-in altogether. */
  passwordLogin: boolean;
}

function readRole(name: string, raw: string): Role {
  const role = raw.trim().toUpperCase();
  if (!(ROLES as readonly string[]).includes(role)) throw new ConfigError(name, `"${raw}" is not a role; use one of ${ROLES.join(', ')}`);
  return role as Role;
}

function readRoleMap(raw: string | undefined): Record<string, Role> | null {
  const trimmed = raw?.trim();
  if (!trimmed) return null;
  const example = `e.g. HOOKYARD_OIDC_ROLE_MAP='{"hookyard-admins":"ADMIN","support":"SUPPORT"}'`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new ConfigError('HOOKYARD_OIDC_ROLE_MAP', `is not valid JSON; ${example}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('HOOKYARD_OIDC_ROLE_MAP', `must be a JSON object from claim values to roles; ${example}`);
  }
  const map: Record<string, Role> = {};
  for (const [value, role] of Object.entries(parsed)) {
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role.trim().toUpperCase())) {
      throw new ConfigError('HOOKYARD_OIDC_ROLE_MAP', `maps "${value}" to ${JSON.stringify(role)}, which is not a role; use one of ${ROLES.join(', ')}`);
    }
    map[value] = role.trim().toUpperCase() as Role;
  }
  return map;
}

function readIssuer(raw: string): string {
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
    return url.toString().replace(/\/+$/, '');
  } catch {
    throw new ConfigError('HOOKYARD_OIDC_ISSUER', `"${raw}" is not an http(s) URL; e.g. HOOKYARD_OIDC_ISSUER=https://accounts.google.com`);
  }
}

export const DEFAULT_OIDC_SCOPES = 'openid email profile';

function readScopes(raw: string | undefined): string {
  const scopes = (raw ?? '').trim().split(/\s+/).filter(Boolean);
  if (scopes.length === 0) return DEFAULT_OIDC_SCOPES;
  if (!scopes.includes('openid') || scopes.some((scope) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))) {
    throw new ConfigError(
      'HOOKYARD_OIDC_SCOPES',
      `"${raw}" must be space-separated scopes including openid; e.g. HOOKYARD_OIDC_SCOPES="openid email profile groups"`,
    );
  }
  return scopes.join(' ');
}

export function readOidcSettings(env: Env = process.env): OidcSettings | null {
  const issuer = env.HOOKYARD_OIDC_ISSUER?.trim();
  const clientId = env.HOOKYARD_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.HOOKYARD_OIDC_CLIENT_SECRET?.trim();
  const roleMap = readRoleMap(env.HOOKYARD_OIDC_ROLE_MAP);
  const defaultRole = env.HOOKYARD_OIDC_DEFAULT_ROLE?.trim() ? readRole('HOOKYARD_OIDC_DEFAULT_ROLE', env.HOOKYARD_OIDC_DEFAULT_ROLE) : 'VIEWER';
  if (!issuer && !clientId && !clientSecret) return null;
  // Some but not all set: almost certainly a deployment mistake, so say which one is missing.
  for (const [name, value] of [
    ['HOOKYARD_OIDC_ISSUER', issuer],
    ['HOOKYARD_OIDC_CLIENT_ID', clientId],
    ['HOOKYARD_OIDC_CLIENT_SECRET', clientSecret],
  ] as const) {
    if (!value) throw new ConfigError(name, 'is not set; single sign-on needs HOOKYARD_OIDC_ISSUER, HOOKYARD_OIDC_CLIENT_ID and HOOKYARD_OIDC_CLIENT_SECRET');
  }
  return {
    issuer: readIssuer(issuer!),
    clientId: clientId!,
    clientSecret: clientSecret!,
    name: env.HOOKYARD_OIDC_NAME?.trim() || 'SSO',
    roleClaim: env.HOOKYARD_OIDC_ROLE_CLAIM?.trim() || null,
    roleMap,
    defaultRole,
    scopes: readScopes(env.HOOKYARD_OIDC_SCOPES),
  };
}

export function readSignInSettings(env: Env = process.env): SignInSettings {
  const raw = env.HOOKYARD_PASSWORD_LOGIN;
  const oidc = readOidcSettings(env);
  const passwordLogin = raw === undefined || raw.trim() === '' ? true : readBoolean('HOOKYARD_PASSWORD_LOGIN', raw.trim());
  // Nobody could sign in at all: refuse to start rather than serve a login page without a way in.
  if (!passwordLogin && !oidc) {
    throw new ConfigError(
      'HOOKYARD_PASSWORD_LOGIN',
      'is false but single sign-on is not configured, so nobody could sign in; set HOOKYARD_OIDC_ISSUER, HOOKYARD_OIDC_CLIENT_ID and HOOKYARD_OIDC_CLIENT_SECRET, or unset it',
    );
  }
  return { oidc, passwordLogin };
}

/**
 * This process's sign-in settings. Read on each call (a few strings), so that an integration test
 * can turn password sign-in off or SSO on between cases; checkAllSettings validates them at start-up.
 */
export function signInSettings(): SignInSettings {
  return readSignInSettings();
}
