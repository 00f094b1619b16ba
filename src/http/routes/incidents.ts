// Incidents over HTTP: open, list (overdue ones stand out), read with the timeline, move forward,
// annotate, and record the Art. 73 report.
import { type Static, Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type IncidentService, SERIOUS_KINDS, SEVERITIES, STATUSES } from '../../governance/incidents.js';
import { errorResponses, Name } from '../schemas.js';

const enumOf = <V extends readonly string[]>(values: V) => T.Unsafe<V[number]>({ type: 'string', enum: [...values] });
const NewIncident = T.Object(
  {
    title: T.String({ minLength: 1, maxLength: 300 }),
    description: T.Optional(T.String({ maxLength: 10_000 })),
    severity: enumOf(SEVERITIES),
    owner: T.Optional(Name),
    agents: T.Optional(T.Array(Name, { maxItems: 100 })),
    initiatives: T.Optional(T.Array(Name, { maxItems: 100 })),
    seriousIncident: T.Optional(
      T.Boolean({ description: 'an EU AI Act Art. 3(49) serious incident: starts the Art. 73 reporting clock' }),
    ),
    seriousKind: T.Optional(enumOf(Object.keys(SERIOUS_KINDS) as Array<keyof typeof SERIOUS_KINDS>)),
    awareAt: T.Optional(T.String({ format: 'date-time', description: 'when it became known; the clock starts then' })),
  },
  { additionalProperties: false },
);

export function incidentRoutes(server: FastifyInstance, incidents: IncidentService): void {
  const tags = ['governance'];
  const Id = T.Object({ id: T.String() });

  server.post<{ Body: Static<typeof NewIncident> }>(
    '/v1/incidents',
    { schema: { tags, summary: 'Open an incident', body: NewIncident, response: errorResponses(400, 401, 403, 422) } },
    async (req, reply) => {
      reply.code(201);
      return incidents.open(req.principal, req.body);
    },
  );
  server.get<{ Querystring: { status?: string; overdue: boolean; limit: number } }>(
    '/v1/incidents',
    {
      schema: {
        tags,
        summary: 'Incidents, newest first; `overdue=true`: serious incidents past their reporting deadline',
        querystring: T.Object({
          status: T.Optional(enumOf(STATUSES)),
          overdue: T.Boolean({ default: false }),
          limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: errorResponses(400, 401, 403),
      },
    },
    async (req) => ({ items: await incidents.list(req.principal, req.query) }),
  );
  server.get<{ Params: { id: string } }>(
    '/v1/incidents/:id',
    { schema: { tags, summary: 'One incident with its timeline', params: Id, response: errorResponses(401, 403, 404) } },
    async (req) => incidents.get(req.principal, req.params.id),
  );
  server.post<{ Params: { id: string }; Body: { to: (typeof STATUSES)[number]; note?: string } }>(
    '/v1/incidents/:id/transitions',
    {
      schema: {
        tags,
        summary: 'Move the status forward: open → mitigated → resolved → closed',
        params: Id,
        body: T.Object(
          { to: enumOf(STATUSES), note: T.Optional(T.String({ maxLength: 10_000 })) },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403, 404, 409),
      },
    },
    async (req) => incidents.transition(req.principal, req.params.id, req.body.to, req.body.note),
  );
  server.post<{ Params: { id: string }; Body: { note: string } }>(
    '/v1/incidents/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add a note to the timeline',
        params: Id,
        body: T.Object({ note: T.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
        response: { 204: T.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await incidents.note(req.principal, req.params.id, req.body.note);
      reply.code(204);
    },
  );
  server.post<{ Params: { id: string }; Body: { reference: string } }>(
    '/v1/incidents/:id/report',
    {
      schema: {
        tags,
        summary: 'Record that the serious-incident report was made (stops the Art. 73 clock)',
        params: Id,
        body: T.Object({ reference: T.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: errorResponses(400, 401, 403, 404, 409),
      },
    },
    async (req) => incidents.reported(req.principal, req.params.id, req.body.reference),
  );
}
