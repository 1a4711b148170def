// A real OpenID Connect provider (panva/oidc-provider, OpenID certified) for the identity tests, on loopback.
// Its development login pages accept any login with any password; the login becomes the account's `sub`.
// Settings come from the environment, so a test can start providers with other issuers, keys and token lives:
//   OIDC_PORT, OIDC_CLIENTS (JSON list of client metadata), OIDC_KEYS (JSON list of private JWKs, the first signs),
//   OIDC_ID_TOKEN_TTL (seconds), OIDC_ACCOUNTS (JSON {login: {claim: value}}: extra claims of some accounts).
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');

const provider = new Provider(issuer, {
  clients: JSON.parse(process.env.OIDC_CLIENTS),
  jwks: { keys: JSON.parse(process.env.OIDC_KEYS) },
  ttl: { IdToken: Number(process.env.OIDC_ID_TOKEN_TTL || 600), AccessToken: 600, AuthorizationCode: 60,
    Interaction: 600, Session: 600, Grant: 600 },
  cookies: { keys: ['veche-test-cookie-key'] },
  claims: { openid: ['sub'], phone: ['phone_number', 'phone_number_verified'], region: ['region'], groups: ['groups'] },
  conformIdTokenClaims: false, // scope claims (phone, region) go into the ID token, where the gateway reads them
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, ...(accounts[id] || {}) }; } };
  },
});

const server = http.createServer(provider.callback());
server.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
