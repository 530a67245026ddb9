// A real OpenID provider (npm oidc-provider) for the tests. TEST ONLY: open client registration,
// built-in login pages that accept any password, and committed signing keys.
//
// Environment:
//   PORT                 port on 127.0.0.1 (the issuer is http://127.0.0.1:PORT)
//   KEYS                 comma-separated JWK files in keys/; the first signs, all are published
//   API_AUDIENCES        resource servers (audiences) it issues JWT access tokens for
//   DASHBOARD_REDIRECT_URIS  redirect URIs of the dashboard client (authorization code + PKCE)
//
// Roles: a machine client registered with the extra metadata `roles` gets them in every token as
// `realm_access.roles` (Keycloak's shape), `groups` and `resource_access.<client>.roles`; a person
// gets the roles listed for their login name in accounts.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider, { errors } from 'oidc-provider';

const here = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT || 9000);
const issuer = `http://127.0.0.1:${port}`;
const keys = (process.env.KEYS || 'test-key-1.json').split(',')
  .map((file) => JSON.parse(fs.readFileSync(path.join(here, 'keys', file), 'utf8')));
const audiences = (process.env.API_AUDIENCES || 'urn:eximee:api').split(',');
const accounts = JSON.parse(fs.readFileSync(path.join(here, 'accounts.json'), 'utf8'));
const dashboardRedirectUris = (process.env.DASHBOARD_REDIRECT_URIS || 'http://127.0.0.1:8765/auth/oidc/callback/').split(',');

function roleClaims(roles, clientId) {
  return {
    realm_access: { roles },
    groups: roles,
    resource_access: { [clientId]: { roles } },
  };
}

const configuration = {
  jwks: { keys },
  clients: [
    {
      client_id: 'eximee-dashboard',
      client_secret: 'dashboard-test-secret',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: dashboardRedirectUris,
      post_logout_redirect_uris: dashboardRedirectUris.map((uri) => new URL('/', uri).href),
    },
  ],
  extraClientMetadata: {
    properties: ['roles', 'token_ttl'],
    validator(ctx, key, value) {
      if (key === 'roles' && value !== undefined && !Array.isArray(value)) {
        throw new errors.InvalidClientMetadata('roles must be an array');
      }
    },
  },
  async findAccount(ctx, sub) {
    const account = accounts[sub] || { roles: [] };
    return {
      accountId: sub,
      async claims() {
        return { sub, preferred_username: sub, name: account.name || sub, email: `${sub}@example.test`, ...roleClaims(account.roles, 'eximee-dashboard') };
      },
    };
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'groups', 'realm_access', 'resource_access'],
    email: ['email'],
  },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    registration: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // The dashboard client's tokens are for the userinfo endpoint, not for the API.
      defaultResource: (ctx, client) => (client.clientId === 'eximee-dashboard' ? undefined : audiences[0]),
      useGrantedResource: () => false,
      getResourceServerInfo(ctx, resource, client) {
        if (!audiences.includes(resource)) throw new errors.InvalidTarget();
        return {
          audience: resource,
          scope: 'api',
          accessTokenFormat: 'jwt',
          accessTokenTTL: client.token_ttl || 300,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  async extraTokenClaims(ctx, token) {
    if (token.kind === 'ClientCredentials') {
      const client = await ctx.oidc.provider.Client.find(token.clientId);
      return roleClaims(client.roles || [], token.clientId);
    }
    if (token.accountId) {
      const { roles } = accounts[token.accountId] || { roles: [] };
      return { preferred_username: token.accountId, ...roleClaims(roles, token.clientId) };
    }
    return undefined;
  },
  pkce: { required: () => true },
  cookies: { keys: ['test-only-cookie-key'] },
  ttl: { AccessToken: 300, ClientCredentials: (ctx, token, client) => client.token_ttl || 300 },
};

const provider = new Provider(issuer, configuration);
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
