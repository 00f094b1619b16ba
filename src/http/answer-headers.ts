// What the API's answers tell a browser. With single sign-on the session cookie authenticates a plain
// navigation (GET /v1/report, /v1/export, /v1/audit), so a browser would keep what it showed in its
// HTTP cache, for Back or the next person at a shared machine after "Sign out": every answer of the
// API and the sign-in routes, and every authenticated answer (/mcp, the LLM gateway), is `no-store`
// and `nosniff`. A route that set its own Cache-Control keeps it; public files (the console's, /docs,
// /openapi.json) are not touched.
import type { FastifyInstance, FastifyRequest } from 'fastify';

const PREFIXES = ['/v1', '/auth'];

export function registerAnswerHeaders(server: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every answer, decisions included.
  server.addHook('onSend', (request, reply, payload, done) => {
    if (request.principal || underApi(request)) {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      reply.header('x-content-type-options', 'nosniff');
    }
    done(null, payload);
  });
}

function underApi(request: FastifyRequest): boolean {
  const url = request.url;
  return PREFIXES.some((p) => url.startsWith(p) && (url.length === p.length || url[p.length] === '/' || url[p.length] === '?'));
}
