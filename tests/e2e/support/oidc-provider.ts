/**
 * A real OpenID provider for the browser tests: panva's `oidc-provider` (the certified
 * implementation), with its own development login and consent pages, a static client for the e2e
 * Hookyard, PKCE, and the claims (email, groups) put into the id token. Hookyard talks to it as it
 * would to Keycloak or Okta: discovery, authorization code, token endpoint, JWKS.
 *
 * A test changes what the provider says about a person (their groups) through
 * `PUT /test/accounts/{login}`, answered by this process only; everything else is the provider.
 */
import { createServer, type IncomingMessage } from 'node:http';
import Provider from 'oidc-provider';
import { e2eOidc } from './oidc-settings';

export interface TestAccount {
  email: string;
  name?: string;
  groups: string[];
  /** What the provider says about the email (default true). */
  emailVerified?: boolean;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcProvider(appPort: number): Promise<{ close(): Promise<void> }> {
  const settings = e2eOidc(appPort);
  // Login names the test has set up; any other login signs in with no groups.
  const accounts = new Map<string, TestAccount>();
  const provider = new Provider(settings.issuer, {
    clients: [
      {
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        redirect_uris: [settings.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // The claims of the requested scopes go into the id token itself, which is what Hookyard reads.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['e2e-oidc-cookie-key-1'] },
    // Seconds; set so the provider does not warn about its defaults at every sign-in.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    findAccount: (_ctx, login) => ({
      accountId: login,
      claims: () => {
        const account = accounts.get(login) ?? { email: `${login}@sso.e2e.test`, groups: [] };
        return { sub: login, email: account.email, email_verified: account.emailVerified ?? true, name: account.name ?? login, groups: account.groups };
      },
    }),
  });
  const callback = provider.callback();
  const server = createServer((request, response) => {
    const match = /^\/test\/accounts\/([^/?]+)$/.exec(request.url ?? '');
    if (request.method === 'PUT' && match) {
      readJson(request)
        .then((body) => {
          accounts.set(decodeURIComponent(match[1]!), body as TestAccount);
          response.writeHead(204).end();
        })
        .catch(() => response.writeHead(400).end());
      return;
    }
    callback(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', resolve);
  });
  return { close: () => new Promise((resolve) => server.close(() => resolve())) };
}
