/**
 * The role an SSO user gets, from the claim named by HOOKYARD_OIDC_ROLE_CLAIM: a string or an
 * array of strings (a `groups` claim is usually an array). Each value goes through the role map
 * (or, without a map, is read as a role name); the highest role that matches wins, so a person
 * in both "support" and "admins" is an admin. Nothing matching gives the default role. Without a
 * claim configured, the role is the default role at creation and is then managed in Hookyard
 * (oidc-sign-in.ts does not refresh it). Pure, so
 * the rules are unit-tested without a provider.
 */
import type { Role } from '@/lib/db/generated/enums';
import type { OidcSettings } from '@/lib/config/oidc-settings';
import { ROLES, hasRole } from '@/lib/auth/roles';

export type RoleMappingSettings = Pick<OidcSettings, 'roleClaim' | 'roleMap' | 'defaultRole'>;

/**
 * The claim by its exact name first (Auth0's namespaced claims are URLs, with dots), else as a
 * dotted path into nested objects (Keycloak's realm roles are `realm_access.roles`).
 */
export function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The claim's values as strings: a string, or the strings of an array; anything else is no value. */
function claimValues(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === 'string');
  return [];
}

function asRole(value: string, map: Record<string, Role> | null): Role | null {
  if (map) return Object.hasOwn(map, value) ? map[value]! : null;
  const upper = value.trim().toUpperCase();
  return (ROLES as readonly string[]).includes(upper) ? (upper as Role) : null;
}

export function roleFromClaims(claims: Record<string, unknown>, settings: RoleMappingSettings): Role {
  if (!settings.roleClaim) return settings.defaultRole;
  let best: Role | null = null;
  for (const value of claimValues(claimAt(claims, settings.roleClaim))) {
    const role = asRole(value, settings.roleMap);
    if (role && (!best || !hasRole(best, role))) best = role;
  }
  return best ?? settings.defaultRole;
}
