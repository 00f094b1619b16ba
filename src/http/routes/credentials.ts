// Person API tokens (/v1/people/<name>/tokens), agent keys (/v1/agents/<name>/keys) and
// telemetry-collector keys (/v1/telemetry-collectors/<name>/keys); and GET /v1/whoami.
import { Type as T } from '@sinclair/typebox';
import { type AuthService, MAX_ISSUED_PER_DAY, MAX_LIVE_CREDENTIALS } from '../../auth/auth-service.js';
import type { SubjectKind } from '../../auth/credential-store.js';
import { PERMISSIONS, type Permission, permissionsOf } from '../../auth/principal.js';
import { ROLES, type Role } from '../../registry/schemas.js';
import { errorResponses, Name, type Server } from '../schemas.js';

const tags = ['credentials'];
const an = (what: string) => `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}`;

const Credential = T.Object(
  {
    id: T.String(),
    prefix: T.String({ description: 'the first characters of the secret, to recognise it' }),
    description: T.Union([T.String(), T.Null()]),
    createdAt: T.String({ format: 'date-time' }),
    createdBy: T.String(),
    revokedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
    revokedBy: T.Union([T.String(), T.Null()], {
      description: 'who revoked it (as createdBy names them); null while live, and for those revoked before it was recorded',
    }),
  },
  { $id: 'Credential', description: 'an API token or key as listed: never its secret' },
);
const Secret = { description: 'the secret: shown in this answer only' };
const IssuedToken = T.Object({ id: T.String(), token: T.String(Secret), prefix: T.String() }, { $id: 'IssuedToken' });
const IssuedKey = T.Object({ id: T.String(), key: T.String(Secret), prefix: T.String() }, { $id: 'IssuedKey' });

const Whoami = T.Object(
  {
    type: T.Unsafe<'admin' | 'person' | 'agent' | 'collector' | 'system'>({
      type: 'string',
      enum: ['admin', 'person', 'agent', 'collector', 'system'],
    }),
    id: T.String(),
    roles: T.Optional(
      T.Array(T.Unsafe<Role>({ type: 'string', enum: [...ROLES] }), { description: "a person's roles, as granted" }),
    ),
    permissions: T.Array(T.Unsafe<Permission>({ type: 'string', enum: [...PERMISSIONS] }), {
      description: 'every permission the caller holds, as the server checks them (an admin role grants them all)',
    }),
  },
  { $id: 'Whoami' },
);

export function credentialRoutes(server: Server, auth: AuthService): void {
  for (const s of [Credential, IssuedToken, IssuedKey, Whoami]) server.addSchema(s);
  const routes: Array<{ kind: SubjectKind; base: string; secret: 'token' | 'key'; what: string; noun: string }> = [
    { kind: 'Person', base: '/v1/people/:name/tokens', secret: 'token', what: 'API token', noun: 'PersonToken' },
    { kind: 'Agent', base: '/v1/agents/:name/keys', secret: 'key', what: 'agent key', noun: 'AgentKey' },
    {
      kind: 'TelemetryCollector',
      base: '/v1/telemetry-collectors/:name/keys',
      secret: 'key',
      what: 'telemetry-collector key',
      noun: 'TelemetryCollectorKey',
    },
  ];
  for (const { kind, base, secret, what, noun } of routes) {
    const params = T.Object({ name: Name });
    server.post(
      base,
      {
        // The body (a description) is optional: an empty POST is fine.
        preValidation: async (req) => {
          req.body ??= {};
        },
        schema: {
          operationId: `create${noun}`,
          tags,
          summary: `Issue ${an(what)}; the secret is in this answer only`,
          description: `409 when the ${kind} holds ${MAX_LIVE_CREDENTIALS} live credentials or was issued ${MAX_ISSUED_PER_DAY} in the last 24 hours.`,
          params,
          body: T.Object({ description: T.Optional(T.String({ maxLength: 200 })) }, { additionalProperties: false }),
          response: { 201: secret === 'token' ? T.Ref(IssuedToken) : T.Ref(IssuedKey), ...errorResponses(404, 409) },
        },
      },
      async (req, reply) => {
        const issued = await auth.issue(req.principal, kind, req.params.name, req.body?.description);
        reply.code(201);
        const { id, prefix } = issued;
        return secret === 'token' ? { id, token: issued.token, prefix } : { id, key: issued.token, prefix };
      },
    );
    server.get(
      base,
      {
        schema: {
          operationId: `list${noun}s`,
          tags,
          summary: `List ${what}s (ids and prefixes, never secrets)`,
          params,
          response: { 200: T.Object({ items: T.Array(T.Ref(Credential)) }), ...errorResponses(404) },
        },
      },
      async (req) => ({ items: await auth.list(req.principal, kind, req.params.name) }),
    );
    server.delete(
      `${base}/:id`,
      {
        schema: {
          operationId: `revoke${noun}`,
          tags,
          summary: `Revoke ${an(what)}`,
          params: T.Object({ name: Name, id: T.String() }),
          response: { 204: T.Null({ description: 'revoked' }), ...errorResponses(404) },
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
        operationId: 'getWhoami',
        tags,
        summary: 'The caller: admin, a person with roles, an agent or a telemetry collector, and what it may do',
        response: { 200: T.Ref(Whoami) },
      },
    },
    async (req) => {
      const p = req.principal;
      const permissions = permissionsOf(p);
      return p.type === 'person'
        ? { type: p.type, id: p.id, roles: [...p.roles], permissions }
        : { type: p.type, id: p.id, permissions };
    },
  );
}
