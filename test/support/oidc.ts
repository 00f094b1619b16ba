// Identity providers for the tests, on 127.0.0.1: a real OpenID Provider (oidc-provider, certified)
// for sign-in with authorization code + PKCE, client credentials with RFC 9068 JWT access tokens and
// resource indicators, and the device authorization grant; and a hand-held issuer (discovery + JWKS
// over real HTTP) whose tokens a test signs itself, to send what no real IdP would (alg none, HS256,
// expired, another issuer).
import http from 'node:http';
import type net from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import Provider, { type ProviderContext } from 'oidc-provider';
import type { IdentitySettings } from '../../src/auth/identity-config.js';
import type { TestServer } from './server.js';

export interface IdpClient {
  client_id: string;
  client_secret?: string;
  grant_types: string[];
  redirect_uris?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
}

export interface Idp {
  issuer: string;
  /** Restarts the provider on the same port signing with a new key (the old one still published). */
  rotate(): Promise<void>;
  /** A client-credentials access token for `resource` (RFC 8707). */
  clientToken(clientId: string, secret: string, resource: string): Promise<string>;
  kids(): string[];
  stop(): Promise<void>;
}

async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

/**
 * What the IdP says about an email it sends: verified, except logins starting `unverified.` (false),
 * `unsaid.` (no claim: Entra ID's way), `edov.` (no email_verified, Entra's `xms_edov: true`),
 * `userinfo.` (verified, said at UserInfo only) and `elsewhere.` (no flag in the ID token; UserInfo
 * says another email is verified). `azp.` adds an `azp` claim naming another client, `ownazp.` one
 * naming the console's (`fulcrum`).
 */
function emailClaims(login: string, use: string): Record<string, unknown> {
  const claims = { email: login };
  if (login.startsWith('unverified.')) return { ...claims, email_verified: false };
  if (login.startsWith('unsaid.')) return claims;
  if (login.startsWith('edov.')) return { ...claims, xms_edov: true };
  if (login.startsWith('userinfo.')) return use === 'userinfo' ? { ...claims, email_verified: true } : claims;
  if (login.startsWith('elsewhere.')) return use === 'userinfo' ? { email: `other.${login}`, email_verified: true } : claims;
  // An authorized party other than the client the token is for (OIDC Core §2 `azp`), or the client itself.
  if (login.startsWith('azp.')) return { ...claims, email_verified: true, azp: 'another-client' };
  if (login.startsWith('ownazp.')) return { ...claims, email_verified: true, azp: 'fulcrum' };
  return { ...claims, email_verified: true };
}

/** Accounts are their login: whoever signs in at the dev login form as `x@y` has email `x@y`. */
function providerFor(issuer: string, clients: IdpClient[], keys: JWK[], opts: IdpOptions): Provider {
  const provider = new Provider(issuer, {
    // By default oidc-provider keeps scope claims (email) out of an ID token issued with an access
    // token, so they come from UserInfo; Entra ID, Okta and Google put them in the ID token.
    conformIdTokenClaims: !opts.emailInIdToken,
    clients: clients.map((c) => ({ response_types: [], redirect_uris: [], ...c })),
    jwks: { keys },
    findAccount: async (_ctx: ProviderContext, id: string) => ({
      accountId: id,
      claims: async (use: string) => ({ sub: id, name: id, ...emailClaims(id, use) }),
    }),
    claims: { openid: ['sub', 'azp'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      ClientCredentials: 300,
      DeviceCode: opts.deviceCodeSeconds ?? 600,
      IdToken: 300,
      Grant: 600,
      Interaction: 600,
      Session: 600,
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: ProviderContext, _client: unknown, oneOf?: string) => oneOf,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: ProviderContext, resource: string) => ({
          scope: 'mcp',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // Every grant the dev interactions ask for is given (the test person clicks "Continue").
    loadExistingGrant: async (ctx: ProviderContext) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId as string);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client?.clientId, accountId: ctx.oidc.session?.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  // Quiet: the provider logs to stderr only when it is told to.
  provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-provider: ${err}\n`));
  return provider;
}

export interface IdpOptions {
  /** The email claims in the ID token too, not only at UserInfo. */
  emailInIdToken?: boolean;
  /** An issuer identifier ending in a slash, as Auth0's and Entra ID v1's do (`http://127.0.0.1:<port>/`). */
  trailingSlash?: boolean;
  /** How long a device code stays valid (600 s unless told). */
  deviceCodeSeconds?: number;
}

/** oidc-provider on a free 127.0.0.1 port. */
export async function startIdp(clients: IdpClient[], opts: IdpOptions = {}): Promise<Idp> {
  let keys = [await signingKey('k1')];
  const placeholder = http.createServer();
  await new Promise<void>((r) => placeholder.listen(0, '127.0.0.1', r));
  const port = (placeholder.address() as net.AddressInfo).port;
  await new Promise((r) => placeholder.close(r));
  const issuer = `http://127.0.0.1:${port}${opts.trailingSlash ? '/' : ''}`;
  let server: http.Server;
  const sockets = new Set<net.Socket>();
  const listen = async () => {
    const provider = providerFor(issuer, clients, keys, opts);
    server = http.createServer(provider.callback());
    // Longer than any test: a client never reuses a connection the server is closing.
    server.keepAliveTimeout = 120_000;
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  };
  const close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  await listen();
  return {
    issuer,
    async rotate() {
      await close();
      keys = [await signingKey(`k${keys.length + 1}`), ...keys];
      await listen();
    },
    kids: () => keys.map((k) => k.kid as string),
    async clientToken(clientId, secret, resource) {
      const res = await fetch(`${issuer.replace(/\/$/, '')}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'mcp' }).toString(),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no token from the IdP: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    stop: close,
  };
}

export interface HandIssuer {
  issuer: string;
  /** A token signed with the current key (`kid` in the header) unless told otherwise. */
  sign(claims: JWTPayload, opts?: { kid?: string; typ?: string }): Promise<string>;
  /** Adds a new key and signs with it from now on; the JWKS serves both. */
  rotate(): Promise<string>;
  /** Replaces the current key with a new one under the same `kid` (an issuer reusing kids). */
  rekey(): Promise<void>;
  /** The current public key as a JWK (what an HS256-with-the-public-key attack would use as secret). */
  publicJwk(): JWK;
  jwksFetches(): number;
  /**
   * How the JWKS endpoint answers from now on: its keys, an HTTP 503 (an outage behind a proxy), never,
   * or a redirect to the same keys elsewhere (a moved endpoint). Its discovery document is also
   * served under `/moved`, as a redirect to the real one.
   */
  jwksAnswers(mode: 'keys' | 'error' | 'never' | 'redirect'): void;
  /** Takes the key `token` was signed with out of the JWKS (the issuer withdrew it). */
  withdraw(token: string): void;
  /** Serves the JWKS at `path` from now on, named so by the discovery document; the old path answers 404. */
  moveJwks(path: string): void;
  discoveryFetches(): number;
  /**
   * How its token endpoint answers from now on: an HTTP status and a JSON body, or a text one (no JSON); 404 until told.
   * Its device authorization endpoint answers one code (`hand-device-code`, polled every second).
   */
  tokenAnswers(status: number, body: Record<string, unknown> | string): void;
  stop(): Promise<void>;
}

/**
 * An issuer whose tokens the test mints: discovery and JWKS served over HTTP on 127.0.0.1.
 * `trailingSlash`: its identifier ends in a slash, as Auth0's and Entra ID v1's do.
 */
export async function startHandIssuer(opts: { trailingSlash?: boolean } = {}): Promise<HandIssuer> {
  const keys: Array<{ kid: string; privateKey: CryptoKey; publicJwk: JWK }> = [];
  const addKey = async () => {
    const kid = `hand-${keys.length + 1}`;
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    keys.unshift({ kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } });
    return kid;
  };
  await addKey();
  let fetches = 0;
  let issuer = '';
  let origin = '';
  let mode: 'keys' | 'error' | 'never' | 'redirect' = 'keys';
  let jwksPath = '/jwks';
  let discoveries = 0;
  let tokenAnswer: { status: number; body: Record<string, unknown> | string } | undefined;
  const server = http.createServer((req, res) => {
    if (req.url === '/token' && req.method === 'POST' && tokenAnswer) {
      const { status, body } = tokenAnswer;
      return void (typeof body === 'string'
        ? res.writeHead(status, { 'content-type': 'text/html' }).end(body)
        : res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    }
    if (req.url === '/device' && req.method === 'POST')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          device_code: 'hand-device-code',
          user_code: 'HAND-CODE',
          verification_uri: `${origin}/device-page`,
          interval: 1,
          expires_in: 600,
        }),
      );
    if (req.url?.startsWith('/moved/'))
      return void res.writeHead(301, { location: `${origin}${req.url.slice('/moved'.length)}` }).end();
    if (req.url === '/jwks-moved')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    if (req.url === '/.well-known/openid-configuration') {
      discoveries++;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          jwks_uri: `${origin}${jwksPath}`,
          token_endpoint: `${origin}/token`,
          authorization_endpoint: `${origin}/authorize`,
          device_authorization_endpoint: `${origin}/device`,
        }),
      );
    }
    if (req.url === jwksPath) {
      fetches++;
      if (mode === 'never') return;
      if (mode === 'redirect') return void res.writeHead(302, { location: `${origin}/jwks-moved` }).end();
      if (mode === 'error')
        return void res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>');
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  issuer = opts.trailingSlash ? `${origin}/` : origin;
  return {
    issuer,
    async sign(claims, opts = {}) {
      const key = keys[0] as (typeof keys)[number];
      return new SignJWT({ iss: issuer, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? key.kid, typ: opts.typ ?? 'at+jwt' })
        .sign(key.privateKey);
    },
    rotate: addKey,
    async rekey() {
      const current = keys[0] as (typeof keys)[number];
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      keys[0] = {
        kid: current.kid,
        privateKey,
        publicJwk: { ...(await exportJWK(publicKey)), kid: current.kid, alg: 'RS256', use: 'sig' },
      };
    },
    publicJwk: () => (keys[0] as (typeof keys)[number]).publicJwk,
    jwksFetches: () => fetches,
    jwksAnswers: (m) => {
      mode = m;
    },
    moveJwks: (path) => {
      jwksPath = path;
    },
    discoveryFetches: () => discoveries,
    tokenAnswers: (status, body) => {
      tokenAnswer = { status, body };
    },
    withdraw: (token) => {
      const { kid } = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()) as { kid: string };
      keys.splice(
        keys.findIndex((k) => k.kid === kid),
        1,
      );
    },
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        // A JWKS request held open ('never') would keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

/**
 * A person at the IdP without a browser: follows redirects (keeping the IdP's cookies) and submits
 * its dev forms — the login form as `login`, every confirmation as "Continue" — until a URL starting
 * with `stopAt` (returned), or a page with no form (returned as its text, e.g. the device flow's
 * success page).
 */
export async function walkIdp(
  start: string,
  login: string,
  stopAt: string,
  /**
   * Presses "Abort" where a confirmation offers it (the device flow's code page): the person declines;
   * 'cancel': follows the login page's "[ Cancel ]" link instead (the console's flow: access_denied).
   */
  decline: boolean | 'cancel' = false,
): Promise<{ url: string; page?: string }> {
  const jar = new Map<string, string>();
  let url = start;
  let body: string | undefined;
  // Declined: the page after "Abort" is the end (the IdP offers to enter a code again).
  let aborted = false;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(stopAt)) return { url };
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      body,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0] as string;
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    body = undefined;
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).toString();
      continue;
    }
    const html = await res.text();
    if (aborted) return { url, page: html };
    const cancel = /<a href="([^"]+\/abort)">\[ Cancel \]/.exec(html)?.[1];
    if (decline === 'cancel' && cancel) {
      url = new URL(cancel.replace(/&amp;/g, '&'), url).toString();
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) return { url, page: html };
    const fields: Record<string, string> = {};
    for (const [input] of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(input)?.[1];
      if (name) fields[name] = /value="([^"]*)"/.exec(input)?.[1] ?? '';
    }
    if (/name="login"/.test(html)) Object.assign(fields, { login, password: 'any' });
    if (decline === true && /name="abort"/.test(html)) {
      fields.abort = 'yes';
      aborted = true;
    }
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    body = new URLSearchParams(fields).toString();
  }
  throw new Error(`the IdP walk did not end at ${stopAt}`);
}

/** Fulcrum's console as a client of the IdP (code and device grants), coming back to `publicUrl`'s /auth/callback. */
export function consoleClient(publicUrl: string): IdpClient {
  return {
    client_id: 'fulcrum',
    client_secret: 'fulcrum-secret',
    grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
    redirect_uris: [`${publicUrl}/auth/callback`],
  };
}

/** Fulcrum's single sign-on settings for people signing in at `idp` through consoleClient(publicUrl). */
export function ssoSettings(idp: Idp, publicUrl: string): IdentitySettings {
  return {
    publicUrl,
    oidc: {
      issuer: idp.issuer,
      clientId: 'fulcrum',
      clientSecret: 'fulcrum-secret',
      name: 'Acme IdP',
      requireEmailVerified: true,
    },
    sessionSeconds: 3600,
    jwksCooldownMs: 0,
  };
}

/**
 * Signs `email` in through the console's flow against the test server `t` (GET /auth/login, the IdP's
 * forms, back to `callback` with the login cookie): the callback's status, and the session's secret
 * when one was made.
 */
export async function consoleSignIn(
  t: Pick<TestServer, 'request'>,
  email: string,
  callback: string,
): Promise<{ status: number; token: string | undefined }> {
  const login = await t.request({ method: 'GET', url: '/auth/login', token: null });
  if (login.statusCode !== 302) throw new Error(`GET /auth/login answered ${login.statusCode}: ${login.body}`);
  const loginCookie = (login.headers['set-cookie'] as string).split(';')[0] as string;
  const back = new URL((await walkIdp(login.headers.location as string, email, callback)).url);
  const answer = await t.request({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    token: null,
    headers: { cookie: loginCookie },
  });
  const set = ([answer.headers['set-cookie']].flat() as string[]).find((c) => c?.startsWith('fulcrum_session=fss_'));
  return { status: answer.statusCode, token: set?.split(';')[0]?.split('=')[1] };
}
