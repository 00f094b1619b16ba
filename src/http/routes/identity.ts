// Single sign-on over HTTP: the console's sign-in through the IdP (/auth/login → IdP → /auth/callback),
// its session (/auth/session, /auth/logout), `fulcrum login`'s device flow (/auth/device*), and the
// protected-resource metadata agents' OAuth clients discover the authorization server from (RFC 9728).
import { Type as T } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { resourceUrl } from '../../auth/agent-tokens.js';
import { csrfTokenFor, looksLikeSession } from '../../auth/console-sessions.js';
import { cookieValue, type Identity } from '../../auth/identity.js';
import { IdpError } from '../../auth/oidc.js';
import { LOGIN_TTL_SECONDS, SignInRefused, safeReturnTo } from '../../auth/sign-in.js';
import { FulcrumError, InputError, NotAllowedError, NotFoundError } from '../../errors.js';
import { ROLES, type Role } from '../../registry/schemas.js';
import type { FailureLimiter } from '../rate-limit.js';
import { ErrorRef, errorResponses, type Server } from '../schemas.js';

const tags = ['identity'];
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
// Public: these routes are how a caller gets a credential, so the document says they need none.
const security: Array<Record<string, string[]>> = [];

const AuthSession = T.Object(
  {
    signIn: T.Object({
      oidc: T.Boolean({ description: 'people sign in through the IdP (GET /auth/login)' }),
      name: T.Optional(T.String({ description: "the IdP's name, for the button" })),
      deviceLogin: T.Boolean({ description: '`fulcrum login` can sign in through the IdP (POST /auth/device)' }),
    }),
    session: T.Union([
      T.Object({
        person: T.String(),
        roles: T.Array(T.Unsafe<Role>({ type: 'string', enum: [...ROLES] })),
        expiresAt: T.String({ format: 'date-time' }),
        csrfToken: T.String({ description: 'send as X-Fulcrum-CSRF with every request that changes something' }),
      }),
      T.Null(),
    ]),
  },
  { $id: 'AuthSession' },
);
const DeviceAuthorization = T.Object(
  {
    deviceCode: T.String({ description: 'poll POST /auth/device/token with it' }),
    userCode: T.String({ description: 'the code the person enters at the IdP' }),
    verificationUri: T.String(),
    verificationUriComplete: T.Optional(T.String()),
    interval: T.Integer({ description: 'seconds between polls' }),
    expiresIn: T.Integer({ description: 'seconds the code stays valid' }),
  },
  { $id: 'DeviceAuthorization' },
);
const DeviceSession = T.Object(
  {
    token: T.String({ description: "the person's session token: send it as a bearer token" }),
    expiresAt: T.String({ format: 'date-time' }),
    person: T.String(),
  },
  { $id: 'DeviceSession' },
);
const ProtectedResource = T.Object(
  {
    resource: T.String(),
    authorization_servers: T.Array(T.String()),
    bearer_methods_supported: T.Array(T.String()),
    resource_name: T.String(),
    resource_documentation: T.String(),
  },
  { $id: 'ProtectedResourceMetadata', description: 'RFC 9728 protected-resource metadata' },
);
/** The page /auth/callback shows when a sign-in is refused (it says why; the status says who is at fault). */
const refusal = (description: string) => ({
  description,
  content: { 'text/html': { schema: T.String({ description: 'a page saying why' }) } },
});

export function identityRoutes(
  server: Server,
  identity: Identity,
  limits: {
    /** Failed credentials per address, shared with every authenticated route (auth.ts). */
    failures: FailureLimiter;
    /** Calls Fulcrum makes to the IdP for an address (device starts, polls, code redemptions). */
    idpCalls: FailureLimiter;
  },
): void {
  const { failures, idpCalls } = limits;
  /** Refuses (429) an address past either budget. */
  const refuseLimited = (ip: string) => {
    failures.check(ip);
    idpCalls.check(ip);
  };
  /** Before a call to the IdP for `ip`: refused past either budget, else counted as one IdP call. */
  const callingIdp = (ip: string) => {
    refuseLimited(ip);
    idpCalls.fail(ip);
  };
  /**
   * A sign-in refused after the IdP answered, counted as a failed credential of `ip` before its audit
   * entry is written, in the same turn as the check (sign-in.ts `Refusing`): past the budget it is
   * refused (429) and not recorded, however many arrive at once.
   */
  const countRefusal = (ip: string) => {
    failures.check(ip);
    failures.fail(ip);
  };
  const { people, sessions, settings } = identity;
  for (const s of [AuthSession, DeviceAuthorization, DeviceSession, ProtectedResource]) server.addSchema(s);

  function cookie(name: string, value: string, maxAgeSeconds: number): string {
    const attrs = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
    if (identity.secure) attrs.push('Secure');
    return attrs.join('; ');
  }

  function needPeople() {
    if (!people) throw new NotFoundError('single sign-on is not configured (FULCRUM_OIDC_ISSUER, docs/auth.md)');
    return people;
  }

  server.get(
    '/auth/session',
    {
      config: { public: true },
      schema: {
        operationId: 'getAuthSession',
        tags,
        summary: "How to sign in to the console, and the caller's console session if the cookie holds one",
        security,
        response: { 200: T.Ref(AuthSession), ...errorResponses(429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const token = cookieValue(request.headers.cookie, identity.cookieName);
      if (token) failures.check(request.ip);
      const principal = token ? await sessions.authenticate(token) : undefined;
      // An unknown session is a failed credential like any other (each one costs a lookup); the dead
      // cookie is cleared, so a browser counts it once, not at every page load.
      if (token && !principal) {
        failures.fail(request.ip);
        reply.header('set-cookie', cookie(identity.cookieName, '', 0));
      }
      const expiresAt = principal && token ? await sessions.expiresAt(token) : undefined;
      return {
        signIn: { oidc: !!people, ...(people ? { name: people.name } : {}), deviceLogin: !!people },
        session:
          principal && token && expiresAt
            ? { person: principal.id, roles: [...principal.roles], expiresAt, csrfToken: csrfTokenFor(token) }
            : null,
      };
    },
  );

  server.get(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        operationId: 'startLogin',
        tags,
        summary: 'Start signing in to the console through the IdP (authorization code flow with PKCE)',
        security,
        querystring: T.Object({ returnTo: T.Optional(T.String({ maxLength: 512, description: 'a console path' })) }),
        response: {
          302: T.Null({
            description: "to the IdP's authorization endpoint, with the single-use login cookie",
            headers: { location: T.String({ description: "the IdP's authorization URL" }) },
          }),
          ...errorResponses(404, 503),
        },
      },
    },
    async (request, reply) => {
      const flow = needPeople();
      const { location, cookie: value } = await idp(() => flow.start(safeReturnTo(request.query.returnTo)));
      return reply
        .header('set-cookie', cookie(identity.loginCookieName, value, LOGIN_TTL_SECONDS))
        .header('cache-control', 'no-store')
        .redirect(location, 302);
    },
  );

  server.get(
    '/auth/callback',
    {
      config: { public: true },
      schema: {
        operationId: 'finishLogin',
        tags,
        summary: 'Where the IdP sends the browser back: the session cookie is set, or a page says why not',
        querystring: T.Object(
          {
            code: T.Optional(T.String({ maxLength: 2048 })),
            state: T.Optional(T.String({ maxLength: 128 })),
            iss: T.Optional(T.String({ maxLength: 512 })),
            // Long enough for anything an IdP sends (the request line itself is bounded, 16 KiB): what is
            // not a short OAuth error code is summarised on the page, not quoted (auth/idp-errors.ts).
            error: T.Optional(T.String({ maxLength: 8192 })),
            error_description: T.Optional(T.String({ maxLength: 8192 })),
          },
          { additionalProperties: true },
        ),
        security,
        response: {
          302: T.Null({
            description: 'signed in: to the console, with the session cookie',
            headers: { location: T.String({ description: 'the console page the sign-in started from' }) },
          }),
          400: {
            description: 'the sign-in answer does not fit this sign-in (state, issuer, code): a page; or a malformed query',
            content: {
              'text/html': { schema: T.String({ description: 'a page saying why' }) },
              'application/json': { schema: ErrorRef },
            },
          },
          403: refusal(
            'the IdP refused the person (access_denied), or signed them in but Fulcrum refuses them (no Person, no verified email): a page',
          ),
          502: refusal('the IdP answered wrongly (no ID token, a refused code) or says it is failing (server_error): a page'),
          ...errorResponses(404, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const flow = needPeople();
      // The login cookie is single-use: cleared whatever happens next.
      const clearLogin = cookie(identity.loginCookieName, '', 0);
      // An address whose sign-ins keep failing waits (429). Only a code redeemed is a call to the
      // IdP: a link to /auth/callback from another site (no login cookie) costs no budget.
      refuseLimited(request.ip);
      try {
        const login = cookieValue(request.headers.cookie, identity.loginCookieName);
        const done = await idp(() =>
          flow.callback(
            request.query,
            login,
            // Checked again here, in the same turn as its count: callbacks sent at once all passed the
            // check at the request's start, and each IdP outage entry they made is bounded by this one.
            () => callingIdp(request.ip),
            () => countRefusal(request.ip),
          ),
        );
        await endPrevious(cookieValue(request.headers.cookie, identity.cookieName));
        return reply
          .header('set-cookie', [clearLogin, cookie(identity.cookieName, done.token, settings.sessionSeconds)])
          .header('cache-control', 'no-store')
          .redirect(`${settings.publicUrl}${done.returnTo}`, 302);
      } catch (err) {
        if (!(err instanceof SignInRefused)) throw err;
        if (err.started && !err.counted) failures.fail(request.ip);
        request.log.warn({ reason: err.message }, 'console sign-in refused');
        return refusalPage(reply.header('set-cookie', clearLogin), err);
      }
    },
  );

  /**
   * A browser signing in again ends the session its cookie still names, as a sign-out would: the new
   * cookie replaces it in the browser, but before, the old session stayed valid on the server for
   * whoever had copied it. A cookie naming no live session ends nothing and records nothing.
   */
  async function endPrevious(previous: string | undefined): Promise<void> {
    if (!previous || !(await sessions.authenticate(previous))) return;
    await sessions.end(previous, (person) => ({
      kind: 'auth.signed-out',
      actor: `person:${person}`,
      detail: { via: 'console', reason: 'signed in again' },
    }));
  }

  server.post(
    '/auth/logout',
    {
      config: { public: true },
      schema: {
        operationId: 'logout',
        tags,
        summary: 'End the console session (cookie, with X-Fulcrum-CSRF) or a `fulcrum login` session (bearer)',
        security,
        response: { 204: T.Null({ description: 'signed out (also when there was no session)' }), ...errorResponses(403, 429) },
      },
    },
    async (request, reply) => {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
      const fromBearer = bearer && looksLikeSession(bearer) ? bearer : undefined;
      const fromCookie = cookieValue(request.headers.cookie, identity.cookieName);
      // Every session the request presents ends: a bearer session and a cookie's, when it carries both
      // (before, the bearer's alone ended, and the cookie's stayed alive on the server).
      const presented: Array<{ token: string; via: 'cli' | 'console' }> = [];
      if (fromBearer) presented.push({ token: fromBearer, via: 'cli' });
      if (fromCookie && fromCookie !== fromBearer) {
        // Ending the cookie's session needs the CSRF header unless the caller sent that session itself
        // as a bearer (an Authorization header of another kind proves nothing about it). Refused,
        // nothing ends.
        if ((await sessions.authenticate(fromCookie)) && !identity.csrfOk(fromCookie, request.headers))
          throw new NotAllowedError('cross-site request refused: signing out from the console needs its X-Fulcrum-CSRF header');
        presented.push({ token: fromCookie, via: 'console' });
      }
      if (presented.length > 0) failures.check(request.ip);
      for (const { token, via } of presented) {
        const ended = await sessions.end(token, (person) => ({
          kind: 'auth.signed-out',
          actor: `person:${person}`,
          detail: { via },
        }));
        if (!ended) failures.fail(request.ip);
      }
      if (fromCookie) reply.header('set-cookie', cookie(identity.cookieName, '', 0));
      reply.code(204);
    },
  );

  server.post(
    '/auth/device',
    {
      config: { public: true },
      schema: {
        operationId: 'startDeviceLogin',
        tags,
        summary: '`fulcrum login`: start the device authorization grant (RFC 8628) at the IdP',
        security,
        response: { 200: T.Ref(DeviceAuthorization), ...errorResponses(404, 429, 503) },
      },
    },
    async (request) => {
      const flow = needPeople();
      // Each start makes the IdP hold a code: it counts against the address's budget of IdP calls,
      // so nobody can have Fulcrum flood the IdP (a separate budget: people signing in from behind
      // one NAT must not lock that address out of the API).
      callingIdp(request.ip);
      return idp(() => flow.deviceStart());
    },
  );

  server.post(
    '/auth/device/token',
    {
      config: { public: true },
      schema: {
        operationId: 'pollDeviceLogin',
        tags,
        summary: "`fulcrum login`: poll for the person's session once they entered the code at the IdP",
        security,
        body: T.Object({ deviceCode: T.String({ minLength: 1, maxLength: 2048 }) }, { additionalProperties: false }),
        response: {
          200: T.Ref(DeviceSession),
          202: T.Object({
            pending: T.Unsafe<'authorization_pending' | 'slow_down'>({
              type: 'string',
              enum: ['authorization_pending', 'slow_down'],
              description: 'not yet: poll again later (slow_down: less often)',
            }),
          }),
          ...errorResponses(403, 404, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const flow = needPeople();
      // Every poll is a call to the IdP (a person's `fulcrum login` polls every 5 s); a code the IdP
      // refuses (made up, expired, denied) is also a failed credential.
      callingIdp(request.ip);
      try {
        const r = await idp(() => flow.devicePoll(request.body.deviceCode, () => countRefusal(request.ip)));
        if (r.pending) return reply.code(202).send({ pending: r.pending });
        return { token: r.session.token, expiresAt: r.session.expiresAt, person: r.session.person };
      } catch (err) {
        if (!(err instanceof SignInRefused)) throw err;
        if (!err.counted) failures.fail(request.ip);
        throw err.status === 403 ? new NotAllowedError(err.message) : new InputError(err.message);
      }
    },
  );

  // RFC 9728 protected-resource metadata: which authorization server issues tokens for which resource.
  for (const resource of ['api', 'mcp'] as const)
    server.get(
      resource === 'mcp' ? '/.well-known/oauth-protected-resource/mcp' : '/.well-known/oauth-protected-resource',
      {
        config: { public: true },
        schema: {
          operationId: resource === 'mcp' ? 'getMcpProtectedResourceMetadata' : 'getProtectedResourceMetadata',
          tags,
          summary: `OAuth protected-resource metadata (RFC 9728) of ${resource === 'mcp' ? 'the MCP gateway' : 'the agent API'}`,
          security,
          response: { 200: T.Ref(ProtectedResource), ...errorResponses(404, 503) },
        },
      },
      async () => {
        const tokens = identity.agentTokens;
        if (!tokens || !settings.publicUrl || !settings.agentTokenIssuer)
          throw new NotFoundError('agents sign in with keys only here: FULCRUM_AGENT_TOKEN_ISSUER is not set (docs/auth.md)');
        return {
          resource: resourceUrl(settings.publicUrl, resource),
          // Exactly as the issuer's metadata spells it: a client compares the two (RFC 8414 §3.3), and
          // the settings drop a trailing slash some issuers' identifiers end in.
          authorization_servers: [await idp(() => tokens.issuer())],
          bearer_methods_supported: ['header'],
          resource_name: resource === 'mcp' ? 'Fulcrum MCP gateway' : 'Fulcrum agent API',
          resource_documentation: `${settings.publicUrl}/docs`,
        };
      },
    );
}

/** The IdP unreachable or unusable is a 503 naming it; the person or script may try again. */
async function idp<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof IdpError) throw new FulcrumError('unavailable', `the identity provider: ${err.message}`);
    throw err;
  }
}

function refusalPage(reply: FastifyReply, err: SignInRefused): FastifyReply {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused · Fulcrum</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2937}a{color:#2563eb}</style></head>
<body><main><h1>Sign-in refused</h1><p role="alert">${escapeHtml(err.message)}</p><p><a href="/">Back to the console</a></p></main></body></html>`;
  return reply
    .code(err.status)
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
