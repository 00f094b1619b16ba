// Bearer-token authentication for every route not marked public.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth-service.js';
import type { Principal } from '../auth/principal.js';
import { UnauthenticatedError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** No token needed (health, docs, metrics). */
    public?: boolean;
  }
}

export function registerAuth(server: FastifyInstance, auth: AuthService): void {
  server.decorateRequest('principal', null as never);
  server.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    const header = request.headers.authorization;
    if (!header) throw new UnauthenticatedError('missing "Authorization: Bearer <token>" header');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
    const principal = await auth.authenticate(match[1] as string);
    if (!principal) throw new UnauthenticatedError('unknown or revoked token');
    request.principal = principal;
  });
}
