// Liveness and readiness: the process answers and its database does.
import { Type as T } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Server } from '../schemas.js';

const Health = T.Object(
  {
    status: T.Unsafe<'ok' | 'unavailable'>({ type: 'string', enum: ['ok', 'unavailable'] }),
    database: T.Unsafe<'sqlite' | 'postgres'>({ type: 'string', enum: ['sqlite', 'postgres'], description: 'the engine' }),
    revision: T.Optional(T.Integer({ description: 'the registry revision; absent when the database does not answer' })),
  },
  { $id: 'Health' },
);

export function healthRoutes(server: Server, app: App): void {
  server.addSchema(Health);
  server.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        operationId: 'getHealth',
        tags: ['operations'],
        summary: 'Health: the server and its database answer',
        security: [],
        response: { 200: T.Ref(Health), 503: T.Ref(Health) },
      },
    },
    async (_req, reply) => {
      try {
        return { status: 'ok' as const, database: app.database.adapter.engine, revision: await app.registry.revision() };
      } catch {
        return reply.code(503).send({ status: 'unavailable', database: app.database.adapter.engine });
      }
    },
  );
}
