// Bearer-token authentication for every route not marked public.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth-service.js';
import type { Principal } from '../auth/principal.js';
import { TOKEN_PREFIX } from '../auth/tokens.js';
import { NotAllowedError, RateLimitedError, UnauthenticatedError } from '../errors.js';
import type { GuardService } from '../guard/guard-service.js';
import { createFailureLimiter, type FailureLimiterOptions } from './rate-limit.js';

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
  }
}

export function registerAuth(
  server: FastifyInstance,
  auth: AuthService,
  guard: GuardService,
  limits: FailureLimiterOptions,
): void {
  const failures = createFailureLimiter(limits);
  server.decorateRequest('principal', null as never);
  server.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    const limited = limits.max > 0 ? failures.retryAfter(request.ip) : 0;
    if (limited) {
      // Past its budget an address gets no lookup and no write; only agent keys this node already
      // holds in memory still pass (agents behind the same NAT as a misbehaving client keep working).
      const agent = guard.knownAgent(bearer(request.headers.authorization));
      if (agent && (request.routeOptions.config.agentOnly || request.routeOptions.config.telemetry)) {
        request.principal = { type: 'agent', id: agent, keyId: '' };
        return;
      }
      throw new RateLimitedError(`too many failed credential attempts from ${request.ip}; try again in ${limited} s`, limited);
    }
    try {
      await authenticate(request);
    } catch (err) {
      if (err instanceof UnauthenticatedError && limits.max > 0) failures.fail(request.ip);
      throw err;
    }
  });

  async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (!header) throw new UnauthenticatedError('missing "Authorization: Bearer <token>" header');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
    const token = match[1] as string;
    const { agentOnly, telemetry } = request.routeOptions.config;
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
      request.principal = { type: 'agent', id: agent, keyId: '' };
      return;
    }
    const principal = await auth.authenticate(token);
    if (!principal) throw new UnauthenticatedError('unknown or revoked token');
    request.principal = principal;
  }
}

function bearer(header: string | undefined): string {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
}
