/**
 * The next-auth OAuth provider for any OpenID Connect issuer, built from HOOKYARD_OIDC_*. The
 * provider's endpoints come from its discovery document; the id token is verified against its
 * JWKS by next-auth (openid-client); PKCE and state protect the redirect. The callback URL is
 * {NEXTAUTH_URL}/api/auth/callback/oidc, and the launchers set NEXTAUTH_URL from
 * HOOKYARD_PUBLIC_URL (scripts/start.ts, scripts/web.ts), so it is the URL SPEC tells people to
 * register.
 */
import type { OAuthConfig } from 'next-auth/providers/oauth';
import type { OidcSettings } from '@/lib/config/oidc-settings';

export const OIDC_PROVIDER_ID = 'oidc';

/** The claims Hookyard reads from the id token (and userinfo). */
export interface OidcProfile extends Record<string, unknown> {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

export function oidcProvider(settings: OidcSettings): OAuthConfig<OidcProfile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.name,
    type: 'oauth',
    wellKnown: `${settings.issuer}/.well-known/openid-configuration`,
    authorization: { params: { scope: settings.scopes } },
    idToken: true,
    checks: ['pkce', 'state'],
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    // next-auth's user object; the real user is found or created in the signIn callback
    // (oidc-sign-in.ts), which replaces the id with Hookyard's own.
    profile: (profile) => ({ id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.preferred_username ?? null }),
  };
}
