// Bearer-token authentication for every route not marked public.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth-service.js';
import type { Principal } from '../auth/principal.js';
import { UnauthenticatedError } from '../errors.js';
import type { GuardService } from '../guard/guard-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** No token needed (health, docs, metrics). */
    public?: boolean;
    /** Agent keys only, checked against the guard's in-memory key table (the hot path). */
    agentOnly?: boolean;
  }
}

export function registerAuth(server: FastifyInstance, auth: AuthService, guard: GuardService): void {
  server.decorateRequest('principal', null as never);
  server.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    const header = request.headers.authorization;
    if (!header) throw new UnauthenticatedError('missing "Authorization: Bearer <token>" header');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
    const token = match[1] as string;
    if (request.routeOptions.config.agentOnly) {
      const agent = await guard.authenticateAgent(token);
      if (!agent) throw new UnauthenticatedError('unknown or revoked agent key');
      request.principal = { type: 'agent', id: agent, keyId: '' };
      return;
    }
    const principal = await auth.authenticate(token);
    if (!principal) throw new UnauthenticatedError('unknown or revoked token');
    request.principal = principal;
  });
}
