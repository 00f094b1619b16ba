// Person API tokens (/v1/people/<name>/tokens), agent keys (/v1/agents/<name>/keys) and
// telemetry-collector keys (/v1/telemetry-collectors/<name>/keys).
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../../auth/auth-service.js';
import type { SubjectKind } from '../../auth/credential-store.js';
import { errorResponses, Name } from '../schemas.js';

const tags = ['credentials'];
const an = (what: string) => `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}`;

const Info = T.Object({
  id: T.String(),
  prefix: T.String({ description: 'the first characters of the secret, to recognise it' }),
  description: T.Union([T.String(), T.Null()]),
  createdAt: T.String(),
  createdBy: T.String(),
  revokedAt: T.Union([T.String(), T.Null()]),
});

export function credentialRoutes(server: FastifyInstance, auth: AuthService): void {
  const routes: Array<{ kind: SubjectKind; base: string; secret: 'token' | 'key'; what: string }> = [
    { kind: 'Person', base: '/v1/people/:name/tokens', secret: 'token', what: 'API token' },
    { kind: 'Agent', base: '/v1/agents/:name/keys', secret: 'key', what: 'agent key' },
    { kind: 'TelemetryCollector', base: '/v1/telemetry-collectors/:name/keys', secret: 'key', what: 'telemetry-collector key' },
  ];
  for (const { kind, base, secret, what } of routes) {
    const params = T.Object({ name: Name });
    server.post<{ Params: { name: string }; Body: { description?: string } | undefined }>(
      base,
      {
        // The body (a description) is optional: an empty POST is fine.
        preValidation: async (req) => {
          req.body ??= {};
        },
        schema: {
          tags,
          summary: `Issue ${an(what)}; the secret is in this answer only`,
          params,
          body: T.Object({ description: T.Optional(T.String({ maxLength: 200 })) }, { additionalProperties: false }),
          response: {
            201: T.Object({ id: T.String(), [secret]: T.String(), prefix: T.String() }),
            ...errorResponses(401, 403, 404),
          },
        },
      },
      async (req, reply) => {
        const issued = await auth.issue(req.principal, kind, req.params.name, req.body?.description);
        reply.code(201);
        return { id: issued.id, [secret]: issued.token, prefix: issued.prefix };
      },
    );
    server.get<{ Params: { name: string } }>(
      base,
      {
        schema: {
          tags,
          summary: `List ${what}s (ids and prefixes, never secrets)`,
          params,
          response: { 200: T.Object({ items: T.Array(Info) }), ...errorResponses(401, 403, 404) },
        },
      },
      async (req) => ({ items: await auth.list(req.principal, kind, req.params.name) }),
    );
    server.delete<{ Params: { name: string; id: string } }>(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `Revoke ${an(what)}`,
          params: T.Object({ name: Name, id: T.String() }),
          response: { 204: T.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (req, reply) => {
        await auth.revoke(req.principal, kind, req.params.name, req.params.id);
        reply.code(204);
      },
    );
  }

  server.get(
    '/v1/whoami',
    {
      schema: {
        tags,
        summary: 'The caller: admin, a person with roles, an agent or a telemetry collector',
        response: { 200: T.Object({ type: T.String(), id: T.String(), roles: T.Optional(T.Array(T.String())) }) },
      },
    },
    async (req) => {
      const p = req.principal;
      return p.type === 'person' ? { type: p.type, id: p.id, roles: [...p.roles] } : { type: p.type, id: p.id };
    },
  );
}
