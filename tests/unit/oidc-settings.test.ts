import { describe, expect, it } from 'vitest';
import { roleFromClaims } from '@/lib/auth/oidc/oidc-role';
import { ConfigError } from '@/lib/config/env';
import { readOidcSettings, readSignInSettings } from '@/lib/config/oidc-settings';
import { checkAllSettings } from '@/lib/config/settings';

const sso = { HOOKYARD_OIDC_ISSUER: 'https://idp.example.com/realms/acme/', HOOKYARD_OIDC_CLIENT_ID: 'hookyard', HOOKYARD_OIDC_CLIENT_SECRET: 's3cret' };

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    readSignInSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('\n');
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('single sign-on settings', () => {
  it('are off without the issuer, client id and secret, and password sign-in is on by default', () => {
    expect(readSignInSettings({})).toEqual({ oidc: null, passwordLogin: true });
    expect(readSignInSettings({ ...sso, HOOKYARD_PASSWORD_LOGIN: 'false' }).passwordLogin).toBe(false);
    expect(readSignInSettings({ ...sso, HOOKYARD_PASSWORD_LOGIN: '0' }).passwordLogin).toBe(false);
    // Without SSO, turning passwords off would leave no way in.
    expect(failure({ HOOKYARD_PASSWORD_LOGIN: 'false' })).toMatchObject({
      setting: 'HOOKYARD_PASSWORD_LOGIN',
      message: expect.stringContaining('nobody could sign in'),
    });
    expect(readSignInSettings({ HOOKYARD_PASSWORD_LOGIN: 'true' }).passwordLogin).toBe(true);
    expect(failure({ HOOKYARD_PASSWORD_LOGIN: 'nope' }).setting).toBe('HOOKYARD_PASSWORD_LOGIN');
  });

  it('read the issuer without its trailing slash, the name, the claim and the map', () => {
    expect(
      readOidcSettings({
        ...sso,
        HOOKYARD_OIDC_NAME: 'Keycloak',
        HOOKYARD_OIDC_ROLE_CLAIM: 'groups',
        HOOKYARD_OIDC_ROLE_MAP: '{"hookyard-admins":"ADMIN","support":"support"}',
        HOOKYARD_OIDC_DEFAULT_ROLE: 'support',
      }),
    ).toEqual({
      issuer: 'https://idp.example.com/realms/acme',
      clientId: 'hookyard',
      clientSecret: 's3cret',
      name: 'Keycloak',
      roleClaim: 'groups',
      roleMap: { 'hookyard-admins': 'ADMIN', support: 'SUPPORT' },
      defaultRole: 'SUPPORT',
      scopes: 'openid email profile',
    });
    expect(readOidcSettings(sso)).toMatchObject({ name: 'SSO', roleClaim: null, roleMap: null, defaultRole: 'VIEWER' });
    expect(readOidcSettings({ ...sso, HOOKYARD_OIDC_SCOPES: ' openid  email profile groups ' })?.scopes).toBe('openid email profile groups');
  });

  it('stop start-up with one line naming the setting when a value is wrong', () => {
    expect(failure({ ...sso, HOOKYARD_OIDC_ROLE_MAP: '{"admins": ADMIN}' })).toMatchObject({
      setting: 'HOOKYARD_OIDC_ROLE_MAP',
      message: expect.stringContaining('not valid JSON'),
    });
    expect(failure({ ...sso, HOOKYARD_OIDC_ROLE_MAP: '["ADMIN"]' }).setting).toBe('HOOKYARD_OIDC_ROLE_MAP');
    expect(failure({ ...sso, HOOKYARD_OIDC_ROLE_MAP: '{"admins":"OWNER"}' })).toMatchObject({ message: expect.stringContaining('"admins" to "OWNER"') });
    expect(failure({ ...sso, HOOKYARD_OIDC_DEFAULT_ROLE: 'root' }).setting).toBe('HOOKYARD_OIDC_DEFAULT_ROLE');
    expect(failure({ ...sso, HOOKYARD_OIDC_SCOPES: 'email profile' }).setting).toBe('HOOKYARD_OIDC_SCOPES');
    expect(failure({ ...sso, HOOKYARD_OIDC_ISSUER: 'idp.example.com' }).setting).toBe('HOOKYARD_OIDC_ISSUER');
    expect(failure({ HOOKYARD_OIDC_ISSUER: sso.HOOKYARD_OIDC_ISSUER, HOOKYARD_OIDC_CLIENT_ID: 'hookyard' }).setting).toBe('HOOKYARD_OIDC_CLIENT_SECRET');
    // The secret never appears in a message.
    expect(failure({ ...sso, HOOKYARD_OIDC_ROLE_MAP: '{' }).message).not.toContain('s3cret');
  });

  it('are part of the start-up check', () => {
    const base = {
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/hookyard',
      HOOKYARD_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      AUTH_SECRET: 'a'.repeat(32),
    };
    expect(() => checkAllSettings({ ...base, ...sso })).not.toThrow();
    expect(() => checkAllSettings({ ...base, ...sso, HOOKYARD_OIDC_ROLE_MAP: 'admins=ADMIN' })).toThrow(/HOOKYARD_OIDC_ROLE_MAP/);
  });
});

describe('the role from the provider', () => {
  const map = { roleClaim: 'groups', roleMap: { 'hookyard-admins': 'ADMIN', 'hookyard-support': 'SUPPORT', staff: 'VIEWER' }, defaultRole: 'VIEWER' } as const;

  it('is the highest role any of the claim values maps to', () => {
    expect(roleFromClaims({ groups: ['staff', 'hookyard-support'] }, map)).toBe('SUPPORT');
    expect(roleFromClaims({ groups: ['hookyard-support', 'hookyard-admins', 'staff'] }, map)).toBe('ADMIN');
    expect(roleFromClaims({ groups: 'hookyard-admins' }, map)).toBe('ADMIN');
  });

  it('is the default role when nothing matches or the claim is missing or not strings', () => {
    expect(roleFromClaims({ groups: ['marketing'] }, map)).toBe('VIEWER');
    expect(roleFromClaims({}, { ...map, defaultRole: 'SUPPORT' })).toBe('SUPPORT');
    expect(roleFromClaims({ groups: [42, { admin: true }] }, map)).toBe('VIEWER');
    // A map is exact: a value that merely spells a role is not a role when a map is given.
    expect(roleFromClaims({ groups: ['ADMIN'] }, map)).toBe('VIEWER');
    // Object.prototype names are not map entries.
    expect(roleFromClaims({ groups: ['constructor', 'toString'] }, map)).toBe('VIEWER');
  });

  it('reads role names directly from the claim without a map', () => {
    const direct = { roleClaim: 'hookyard_role', roleMap: null, defaultRole: 'VIEWER' } as const;
    expect(roleFromClaims({ hookyard_role: 'admin' }, direct)).toBe('ADMIN');
    expect(roleFromClaims({ hookyard_role: ['VIEWER', 'SUPPORT'] }, direct)).toBe('SUPPORT');
    expect(roleFromClaims({ hookyard_role: 'owner' }, direct)).toBe('VIEWER');
  });

  it('reads a nested claim by a dotted path, and a claim whose name has dots by that name', () => {
    const keycloak = { roleClaim: 'realm_access.roles', roleMap: { 'hookyard-admin': 'ADMIN' }, defaultRole: 'VIEWER' } as const;
    expect(roleFromClaims({ realm_access: { roles: ['offline_access', 'hookyard-admin'] } }, keycloak)).toBe('ADMIN');
    expect(roleFromClaims({ realm_access: ['hookyard-admin'] }, keycloak)).toBe('VIEWER');
    const auth0 = { roleClaim: 'https://hookyard.example.com/roles', roleMap: null, defaultRole: 'VIEWER' } as const;
    expect(roleFromClaims({ 'https://hookyard.example.com/roles': ['support'] }, auth0)).toBe('SUPPORT');
  });

  it('is the default role when no claim is configured', () => {
    expect(roleFromClaims({ groups: ['hookyard-admins'] }, { roleClaim: null, roleMap: null, defaultRole: 'SUPPORT' })).toBe('SUPPORT');
  });
});
