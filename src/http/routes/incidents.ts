// Incidents over HTTP: open, list (overdue ones stand out), read with the timeline, move forward,
// annotate, and record the Art. 73 report.
import { Type as T } from '@sinclair/typebox';
import { type IncidentService, SERIOUS_KINDS, SEVERITIES, STATUSES } from '../../governance/incidents.js';
import { errorResponses, Name, type Server } from '../schemas.js';

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
    awareAt: T.Optional(
      T.String({
        format: 'date-time',
        description:
          'when it became known; the clock starts then (default now; not in the future beyond 5 minutes of clock skew, nor before 2000)',
      }),
    ),
  },
  { additionalProperties: false },
);

const Nullable = <S extends Parameters<typeof T.Union>[0][number]>(s: S) => T.Union([s, T.Null()]);
const Incident = T.Object(
  {
    id: T.String(),
    title: T.String(),
    description: Nullable(T.String()),
    severity: enumOf(SEVERITIES),
    status: enumOf(STATUSES),
    owner: Nullable(T.String()),
    agents: T.Array(T.String()),
    initiatives: T.Array(T.String()),
    seriousIncident: T.Boolean(),
    seriousKind: Nullable(enumOf(Object.keys(SERIOUS_KINDS) as Array<keyof typeof SERIOUS_KINDS>)),
    awareAt: Nullable(T.String({ format: 'date-time' })),
    reporting: Nullable(
      T.Object(
        {
          dueAt: T.String({ format: 'date-time' }),
          reportedAt: Nullable(T.String({ format: 'date-time' })),
          overdue: T.Boolean(),
          daysLeft: Nullable(T.Integer({ description: 'whole days to the deadline; negative when past it' })),
        },
        { description: 'the Art. 73 reporting clock of a serious incident; null otherwise' },
      ),
    ),
    reportReference: Nullable(T.String()),
    source: Nullable(T.String({ description: 'what opened it: a monitor, a person, the kill switch' })),
    openedAt: T.String({ format: 'date-time' }),
    updatedAt: T.String({ format: 'date-time' }),
  },
  { $id: 'Incident' },
);
const IncidentWithTimeline = T.Object(
  {
    ...Incident.properties,
    timeline: T.Array(
      T.Object({
        at: T.String({ format: 'date-time' }),
        actor: T.String(),
        kind: T.String({
          description:
            "opened, status, note, reported, linked (an agent that left a linked initiative), suspending (a monitor's kill switch owed, with the agents) and suspended (made)",
        }),
        status: Nullable(enumOf(STATUSES)),
        note: Nullable(T.String()),
      }),
    ),
  },
  { $id: 'IncidentWithTimeline' },
);

export function incidentRoutes(server: Server, incidents: IncidentService): void {
  const tags = ['governance'];
  const Id = T.Object({ id: T.String() });
  server.addSchema(Incident);
  server.addSchema(IncidentWithTimeline);

  server.post(
    '/v1/incidents',
    {
      schema: {
        operationId: 'openIncident',
        tags,
        summary: 'Open an incident',
        body: NewIncident,
        response: { 201: T.Ref(Incident), ...errorResponses(422) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return incidents.open(req.principal, req.body);
    },
  );
  server.get(
    '/v1/incidents',
    {
      schema: {
        operationId: 'listIncidents',
        tags,
        summary: 'Incidents, newest first; `overdue=true`: serious incidents past their reporting deadline',
        querystring: T.Object({
          status: T.Optional(enumOf(STATUSES)),
          overdue: T.Boolean({ default: false }),
          limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: T.Object({ items: T.Array(T.Ref(Incident)) }) },
      },
    },
    async (req) => ({ items: await incidents.list(req.principal, req.query) }),
  );
  server.get(
    '/v1/incidents/:id',
    {
      schema: {
        operationId: 'getIncident',
        tags,
        summary: 'One incident with its timeline',
        params: Id,
        response: { 200: T.Ref(IncidentWithTimeline), ...errorResponses(404) },
      },
    },
    async (req) => incidents.get(req.principal, req.params.id),
  );
  server.post(
    '/v1/incidents/:id/transitions',
    {
      schema: {
        operationId: 'transitionIncident',
        tags,
        summary: 'Move the status forward: open → mitigated → resolved → closed',
        params: Id,
        body: T.Object(
          { to: enumOf(STATUSES), note: T.Optional(T.String({ maxLength: 10_000 })) },
          { additionalProperties: false },
        ),
        response: { 200: T.Ref(Incident), ...errorResponses(404, 409) },
      },
    },
    async (req) => incidents.transition(req.principal, req.params.id, req.body.to, req.body.note),
  );
  server.post(
    '/v1/incidents/:id/notes',
    {
      schema: {
        operationId: 'addIncidentNote',
        tags,
        summary: 'Add a note to the timeline (at most 1,000 notes an incident: 409 past it)',
        params: Id,
        body: T.Object({ note: T.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
        response: { 204: T.Null({ description: 'noted' }), ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => {
      await incidents.note(req.principal, req.params.id, req.body.note);
      reply.code(204);
    },
  );
  server.post(
    '/v1/incidents/:id/report',
    {
      schema: {
        operationId: 'reportIncident',
        tags,
        summary: 'Record that the serious-incident report was made (stops the Art. 73 clock)',
        params: Id,
        body: T.Object({ reference: T.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: T.Ref(Incident), ...errorResponses(404, 409) },
      },
    },
    async (req) => incidents.reported(req.principal, req.params.id, req.body.reference),
  );
}
