/**
 * The e2e OpenID provider's client and role settings, shared by the server that starts it
 * (start-server.ts, oidc-provider.ts) and the browser test (sso.spec.ts), which must not load the
 * provider library itself.
 */
/** What the e2e Hookyard is configured with (start-server.ts) and the browser test expects. */
export function e2eOidc(appPort: number) {
  const port = appPort + 10;
  return {
    port,
    issuer: `http://127.0.0.1:${port}`,
    clientId: 'hookyard-e2e',
    clientSecret: 'e2e-oidc-client-secret-not-a-real-one',
    name: 'Test IdP',
    roleClaim: 'groups',
    roleMap: { 'hookyard-admins': 'ADMIN', 'hookyard-support': 'SUPPORT' },
    redirectUri: `http://127.0.0.1:${appPort}/api/auth/callback/oidc`,
  };
}
