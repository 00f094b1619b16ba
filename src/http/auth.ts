// Bearer-token authentication for every route not marked public.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AgentResource, looksLikeJwt } from '../auth/agent-tokens.js';
import type { AuthService } from '../auth/auth-service.js';
import { looksLikeSession } from '../auth/console-sessions.js';
import { cookieValue, type Identity } from '../auth/identity.js';
import { MAX_TOKEN_BYTES } from '../auth/oidc.js';
import type { Principal } from '../auth/principal.js';
import { TOKEN_PREFIX } from '../auth/tokens.js';
import { NotAllowedError, RateLimitedError, UnauthenticatedError } from '../errors.js';
import type { GuardService } from '../guard/guard-service.js';
import { clientKey } from '../net/addresses.js';
import type { FailureLimiter } from './rate-limit.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** No token needed (health, docs, metrics). */
    public?: boolean;
    /** Agent keys only, checked against the guard's in-memory key table (the hot path). */
    agentOnly?: boolean;
    /** Agent keys and telemetry-collector keys (OTLP traces, task events). */
    telemetry?: boolean;
    /**
     * A GET that acts beyond Fulcrum (connects to an MCP upstream, starts its stdio process): a console
     * session needs its CSRF header for it, as for a change. A SameSite=Lax cookie goes with a link
     * followed from any site, so without this another site could have a signed-in browser run it.
     */
    reachesOut?: boolean;
  }
}

export function registerAuth(
  server: FastifyInstance,
  auth: AuthService,
  guard: GuardService,
  failures: FailureLimiter,
  identity?: Identity,
): void {
  server.decorateRequest('principal', null as never);
  server.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    const agentRoute = !!(request.routeOptions.config.agentOnly || request.routeOptions.config.telemetry);
    const limited = failures.retryAfter(request.ip);
    if (limited) {
      // Past its budget an address gets no lookup and no write; only agent keys this node already
      // holds in memory still pass (agents behind the same NAT as a misbehaving client keep working),
      // and access tokens, which verify against the cached JWKS without a lookup.
      const token = bearer(request.headers.authorization);
      const agent = await guard.knownAgent(token);
      if (agent && agentRoute) {
        request.principal = { type: 'agent', ...agent };
        return;
      }
      if (agentRoute && identity?.agentTokens && looksLikeJwt(token)) {
        const got = await identity.agentTokens.authenticate(token, resourceOf(request), request.ip).catch(() => undefined);
        if (got) {
          request.principal = { type: 'agent', id: got.agent, keyId: '', oauthClient: got.clientId };
          return;
        }
      }
      throw new RateLimitedError(
        `too many failed credential attempts from ${clientKey(request.ip)}; try again in ${limited} s`,
        limited,
      );
    }
    try {
      await authenticate(request);
    } catch (err) {
      if (err instanceof UnauthenticatedError) {
        // Only a credential that failed counts. A request with none is what any web page can make a
        // browser send (a cross-site <img src=".../v1/agents"> carries no header, and SameSite keeps
        // the session cookie off it): counting those let any page lock an office's address out.
        if (presentedCredential(request, identity)) failures.fail(request.ip);
        // RFC 6750 §3 / RFC 9728 §5.1: an agent's 401 says how to get a token, and whether the one sent failed.
        if (agentRoute && identity)
          reply.header(
            'www-authenticate',
            identity.challenge(resourceOf(request), request.headers.authorization ? err.message : undefined),
          );
      }
      throw err;
    }
  });
  // A key refused after authentication passed (revoked through another node before the decision
  // made with it committed) gets the same challenge as one refused at the door.
  server.addHook('onError', async (request, reply, err) => {
    if (!(err instanceof UnauthenticatedError) || !identity || reply.hasHeader('www-authenticate')) return;
    if (!(request.routeOptions.config?.agentOnly || request.routeOptions.config?.telemetry)) return;
    reply.header('www-authenticate', identity.challenge(resourceOf(request), err.message));
  });

  async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    const { agentOnly, telemetry } = request.routeOptions.config;
    if (!header && identity && !agentOnly && !telemetry) {
      // The console signed in through the IdP: its session cookie, and for a change, its CSRF header.
      const session = cookieValue(request.headers.cookie, identity.cookieName);
      if (session) {
        const person = await identity.sessions.authenticate(session);
        if (!person) throw new UnauthenticatedError('your console session has ended: sign in again');
        if (
          (!SAFE_METHODS.has(request.method) || request.routeOptions.config.reachesOut) &&
          !identity.csrfOk(session, request.headers)
        )
          throw new NotAllowedError(
            'cross-site request refused: a console request that changes something, or reaches beyond Fulcrum, needs the X-Fulcrum-CSRF header (GET /auth/session)',
          );
        request.principal = person;
        return;
      }
    }
    if (!header) throw new UnauthenticatedError('missing "Authorization: Bearer <token>" header');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
    const token = match[1] as string;
    if (token.length > MAX_TOKEN_BYTES) throw new UnauthenticatedError(`the token is longer than ${MAX_TOKEN_BYTES} bytes`);
    // An agent's OAuth access token (a JWT) where the operator named the issuer (docs/auth.md).
    if ((agentOnly || telemetry) && identity?.agentTokens && looksLikeJwt(token)) {
      const got = await identity.agentTokens.authenticate(token, resourceOf(request), request.ip);
      request.principal = { type: 'agent', id: got.agent, keyId: '', oauthClient: got.clientId };
      return;
    }
    // A person's `fulcrum login` session (the device flow through the IdP).
    if (!agentOnly && !telemetry && identity && looksLikeSession(token)) {
      const person = await identity.sessions.authenticate(token);
      if (!person) throw new UnauthenticatedError('your sign-in session has ended: run `fulcrum login` again');
      request.principal = person;
      return;
    }
    // A collector key is told apart by its prefix, so it never costs the agent key table a miss
    // (which would record it as an unknown key). It may send telemetry and nothing agent-facing else.
    if ((agentOnly || telemetry) && token.startsWith(TOKEN_PREFIX.collector)) {
      const principal = await auth.authenticate(token);
      if (principal?.type !== 'collector') throw new UnauthenticatedError('unknown or revoked telemetry collector key');
      if (!telemetry)
        throw new NotAllowedError(
          `${principal.id} is a telemetry collector: its keys may only send telemetry (OTLP traces and task events)`,
        );
      request.principal = principal;
      return;
    }
    if (agentOnly || telemetry) {
      const agent = await guard.authenticateAgent(token, request.ip);
      if (!agent) throw new UnauthenticatedError('unknown or revoked agent key');
      request.principal = { type: 'agent', ...agent };
      return;
    }
    const principal = await auth.authenticate(token);
    if (!principal) throw new UnauthenticatedError('unknown or revoked token');
    request.principal = principal;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** An Authorization header of any kind, or a console session cookie on a route that reads it. */
function presentedCredential(request: FastifyRequest, identity: Identity | undefined): boolean {
  if (request.headers.authorization !== undefined) return true;
  const { agentOnly, telemetry } = request.routeOptions.config;
  return !!identity && !agentOnly && !telemetry && !!cookieValue(request.headers.cookie, identity.cookieName);
}

/** The MCP gateway is its own OAuth resource (RFC 8707); every other agent route is the API's. */
function resourceOf(request: FastifyRequest): AgentResource {
  const url = request.routeOptions.url ?? '';
  return url === '/mcp' || url.startsWith('/mcp/') ? 'mcp' : 'api';
}

function bearer(header: string | undefined): string {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
}
