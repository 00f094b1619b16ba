// Liveness and readiness: the process answers and its database does.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../app.js';

export function healthRoutes(server: FastifyInstance, app: App): void {
  const Health = T.Object({ status: T.String(), database: T.String(), revision: T.Optional(T.Integer()) });
  server.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        summary: 'Health: the server and its database answer',
        response: { 200: Health, 503: Health },
      },
    },
    async (_req, reply) => {
      try {
        return { status: 'ok', database: app.database.adapter.engine, revision: await app.registry.revision() };
      } catch {
        reply.code(503);
        return { status: 'unavailable', database: app.database.adapter.engine };
      }
    },
  );
}
