// Evidence over HTTP: task events and OTLP traces in (agent and telemetry-collector keys), costs and
// outcome metrics out.
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { Type as T } from '@sinclair/typebox';
import type { Principal } from '../../auth/principal.js';
import { InputError } from '../../errors.js';
import type { Sender } from '../../evidence/attribution.js';
import type { EvidenceService } from '../../evidence/evidence-service.js';
import { type MappedExport, readOtlpBody, rejectionMessage } from '../../evidence/otlp-body.js';
import { encodeTraceResponse } from '../../evidence/otlp-proto.js';
import { OUTCOME_SOURCES } from '../../registry/schemas.js';
import { errorResponses, Name, type Server } from '../schemas.js';

/** Where an OTLP route's request.body keeps the export as read (its spans). */
const MAPPED = Symbol('fulcrum.otlp.mapped');

const Rejected = T.Array(T.Object({ index: T.Integer(), reason: T.String() }));
const IsoDay = T.String({ format: 'date' });
const enumOf = <V extends readonly string[]>(values: V, options: { description?: string } = {}) =>
  T.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
const Nullable = <S extends Parameters<typeof T.Union>[0][number]>(s: S, description?: string) =>
  T.Union([s, T.Null()], description ? { description } : {});
const COST_GROUPS = ['agent', 'initiative', 'model', 'business-unit'] as const;

const Costs = T.Object(
  {
    from: IsoDay,
    to: IsoDay,
    groupBy: enumOf(COST_GROUPS),
    rows: T.Array(
      T.Object({
        key: T.String({
          description:
            'the agent, initiative, model or business unit; "(unregistered)" for none; by model, "(no model)" for model calls that named none and self-reported cost',
        }),
        costUsd: T.Number(),
        inputTokens: T.Integer(),
        outputTokens: T.Integer(),
        calls: T.Integer({ description: 'model calls, priced or not' }),
        unpricedCalls: T.Integer({ description: 'model calls without a cost (not in costUsd): see unpriced' }),
        unpriced: T.Object(
          { unknownModel: T.Integer(), noPrice: T.Integer(), noUsage: T.Integer(), serviceTier: T.Integer() },
          {
            description:
              'unpriced calls by reason: the model is no registry Model (name or alias), it has no USD price that day, the span did not report both its input and output token counts, or the provider billed a service tier above the price',
          },
        ),
      }),
      { description: 'the first `limit` groups, most spend first (then most model calls)' },
    ),
    totalRows: T.Integer({ description: 'how many groups there are in all (rows holds the first `limit`)' }),
  },
  { $id: 'Costs', description: 'spend grouped by agent, initiative, model or business unit, from the daily rollups' },
);

const Outcomes = T.Object(
  {
    initiative: T.String(),
    window: T.Object({ from: IsoDay, to: IsoDay }, { description: 'the last 30 days: what `current` is measured over' }),
    agents: T.Array(T.String(), { description: "the initiative's agents, whose telemetry is measured" }),
    metrics: T.Array(
      T.Object({
        name: T.String(),
        source: enumOf(OUTCOME_SOURCES),
        unit: T.String(),
        direction: enumOf(['increase', 'decrease'] as const),
        baseline: T.Object({ value: T.Number(), period: T.String() }),
        target: T.Number(),
        current: Nullable(T.Number(), 'the last 30 days (manual metrics: the latest measurement); null: not measured'),
        provenance: enumOf(['measured', 'self-reported', 'none'] as const),
        progress: Nullable(T.Number(), '(current − baseline) / (target − baseline): 0 at baseline, 1 at target'),
        series: T.Array(T.Object({ period: T.String(), value: T.Number() }), {
          description: 'calendar months (manual metrics: the periods measured)',
        }),
        valuePerUnit: T.Optional(
          T.Object(
            { value: T.Number(), assumption: T.Literal(true) },
            {
              description:
                'USD per unit of improvement (costs are USD; Fulcrum converts no currency): an assumption the initiative states, not a measurement',
            },
          ),
        ),
        note: T.Optional(T.String({ description: 'why a metric cannot be measured yet' })),
      }),
    ),
  },
  { $id: 'Outcomes', description: "an initiative's outcome metrics against their baselines and targets" },
);

const Measurement = T.Object(
  {
    initiative: T.String(),
    metric: T.String(),
    period: T.String(),
    value: T.Number(),
    provenance: T.Literal('self-reported'),
    recordedBy: T.String({ description: 'person:NAME, or the kind of credential that recorded it' }),
    recordedAt: T.String({ format: 'date-time' }),
  },
  { $id: 'Measurement', description: 'a self-reported value of a manual outcome metric' },
);

// OTLP/HTTP's ExportTraceServiceResponse as JSON (int64 as a string, per the OTLP JSON encoding).
const ExportTraceServiceResponse = T.Object(
  {
    partialSuccess: T.Optional(
      T.Object(
        {
          rejectedSpans: T.String({ pattern: '^[0-9]+$', description: 'spans not kept (an int64, as OTLP JSON writes it)' }),
          errorMessage: T.String({
            description: 'why, per rejected span; or a warning when spans were kept but nothing was counted',
          }),
        },
        { description: 'present when spans were rejected or a warning applies' },
      ),
    ),
  },
  { $id: 'ExportTraceServiceResponse', description: "OTLP's answer to a trace export" },
);

/** Telemetry routes admit only agent and collector keys (http/auth.ts `telemetry`). */
const sender = (p: Principal): Sender => ({ type: p.type === 'collector' ? 'collector' : 'agent', id: p.id });

export function evidenceRoutes(server: Server, evidence: EvidenceService, opts: { otlpBodyLimit: number }): void {
  const tags = ['evidence'];
  server.addSchema(Costs);
  server.addSchema(Outcomes);
  server.addSchema(Measurement);
  server.addSchema(ExportTraceServiceResponse);

  server.post(
    '/v1/events',
    {
      config: { telemetry: true },
      schema: {
        operationId: 'reportEvents',
        tags,
        summary: 'Report task events (agent or telemetry-collector key): task.started, task.completed, handoff.human',
        description:
          'Each event is validated on its own; accepted ones are kept, rejected ones listed with index and reason. ' +
          'Re-sending an event (same agent, taskId and type) does not count it twice. An agent key books every event to its ' +
          'agent: an event whose `agent` names another is kept with that name as an attribution mismatch. A collector key ' +
          "must name each event's `agent`; one outside the collector's `agents` is booked to no agent (a mismatch).",
        body: T.Object({ events: T.Array(T.Unknown(), { maxItems: 1000 }) }),
        response: {
          200: T.Object({
            accepted: T.Integer({ description: 'events kept (duplicates included)' }),
            duplicates: T.Integer({ description: 'accepted events already received: counted once' }),
            rejected: Rejected,
          }),
        },
      },
    },
    async (req) => evidence.ingestEvents(sender(req.principal), req.body),
  );

  // OTLP/HTTP: protobuf or JSON, gzip or not (OTEL_EXPORTER_OTLP_ENDPOINT=http://host:4100/otlp).
  server.register(async (otlp: Server) => {
    // Both encodings are read into spans in the parser (src/evidence/otlp-body.ts): a large export on
    // the worker thread, so that reading it does not hold the node's other requests.
    otlp.removeContentTypeParser('application/json');
    for (const [type, encoding] of [
      ['application/x-protobuf', 'protobuf'],
      ['application/json', 'json'],
    ] as const)
      otlp.addContentTypeParser(
        type,
        { parseAs: 'buffer', bodyLimit: opts.otlpBodyLimit },
        async (_req: unknown, raw: Buffer) => ({
          [MAPPED]: await readOtlpBody(encoding, raw),
        }),
      );
    otlp.post(
      '/otlp/v1/traces',
      {
        bodyLimit: opts.otlpBodyLimit,
        config: { telemetry: true },
        preParsing: async (req, _reply, payload) => {
          const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
          if (type !== 'application/json' && type !== 'application/x-protobuf')
            throw Object.assign(new Error(`OTLP/HTTP takes application/x-protobuf or application/json, not "${type}"`), {
              statusCode: 415,
              code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
            });
          const encoding = req.headers['content-encoding'];
          if (!encoding || encoding === 'identity') return payload;
          if (encoding === 'gzip' || encoding === 'deflate') {
            // Fastify checks a Content-Length against the bytes received: the compressed ones, which
            // the decompressing stream counts (the OTel Collector's exporter sends gzip with a length).
            const inflated = Object.assign(encoding === 'gzip' ? createGunzip() : createInflate(), { receivedEncodedLength: 0 });
            (payload as Readable).on('data', (chunk: Buffer) => {
              inflated.receivedEncodedLength += chunk.length;
            });
            return (payload as Readable).pipe(inflated);
          }
          throw Object.assign(new Error(`unsupported Content-Encoding "${encoding}"`), {
            statusCode: 415,
            code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
          });
        },
        schema: {
          operationId: 'exportTraces',
          tags,
          summary: 'OTLP/HTTP trace export (agent or telemetry-collector key): protobuf or JSON, gzip or not',
          description:
            "Reads the OpenTelemetry GenAI conventions. An agent key's spans are booked to its agent; a span whose " +
            'gen_ai.agent.name names another agent keeps that name as an attribution mismatch (GET /v1/signals). A collector ' +
            "key's spans are booked to the agent they name if the collector lists it, else to no agent (a mismatch); spans " +
            'naming no agent are rejected. A name the registry does not know is also recorded as a shadow agent. Answers ' +
            'with OTLP partial success for rejected spans.',
          querystring: T.Object({
            dryRun: T.Boolean({
              default: false,
              description: 'decode and check the spans, store nothing (to test instrumentation)',
            }),
          }),
          response: {
            200: {
              description: 'ExportTraceServiceResponse, in the encoding of the request (protobuf or JSON)',
              content: {
                'application/json': { schema: T.Ref(ExportTraceServiceResponse) },
                'application/x-protobuf': {
                  schema: T.Unsafe<Buffer>({
                    type: 'string',
                    format: 'binary',
                    description: 'opentelemetry.proto ExportTraceServiceResponse',
                  }),
                },
              },
            },
          },
        },
      },
      async (req, reply) => {
        const mapped = (req.body as { [MAPPED]?: MappedExport } | undefined)?.[MAPPED];
        if (!mapped) throw new InputError('an OTLP trace export must be application/x-protobuf or application/json');
        const { rejected, rejectedCount, warning } = await evidence.ingestMappedTraces(sender(req.principal), mapped, {
          dryRun: req.query.dryRun,
        });
        // OTLP's partial success carries a warning too (rejected_spans 0): spans kept, nothing counted.
        const partial =
          rejectedCount || warning
            ? { rejectedSpans: rejectedCount, errorMessage: rejectionMessage(rejected, rejectedCount, warning) }
            : undefined;
        if (req.headers['content-type']?.startsWith('application/x-protobuf')) {
          reply.type('application/x-protobuf');
          return reply.send(Buffer.from(encodeTraceResponse(partial)));
        }
        return partial
          ? { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } }
          : {};
      },
    );
  });

  server.get(
    '/v1/costs',
    {
      schema: {
        operationId: 'getCosts',
        tags,
        summary: 'Spend by agent, initiative, model or business unit (from the daily rollups)',
        querystring: T.Object({
          groupBy: T.Unsafe<(typeof COST_GROUPS)[number]>({ type: 'string', enum: [...COST_GROUPS], default: 'agent' }),
          from: T.Optional(T.String({ format: 'date', description: 'first day (default: 29 days before `to`)' })),
          to: T.Optional(T.String({ format: 'date', description: 'last day, included (default: today, UTC)' })),
          limit: T.Integer({
            minimum: 1,
            maximum: 1000,
            default: 100,
            description: 'most groups answered (totalRows says how many there are)',
          }),
        }),
        response: { 200: T.Ref(Costs) },
      },
    },
    async (req) => {
      const to = req.query.to ?? new Date().toISOString().slice(0, 10);
      // 29 days before `to`, but not before year 0: before it the day is written with a sign
      // ("-000001-12-03"), no `date`, and the answer failed its own schema (a 500).
      const before = new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
      const from = req.query.from ?? (before.startsWith('-') ? '0000-01-01' : before);
      if (from > to) throw new InputError(`from (${from}) is after to (${to})`);
      return evidence.costs(req.principal, { groupBy: req.query.groupBy, from, to, limit: req.query.limit });
    },
  );

  server.get(
    '/v1/initiatives/:name/outcomes',
    {
      schema: {
        operationId: 'getOutcomes',
        tags,
        summary:
          "An initiative's outcome metrics: baseline, target, current (last 30 days), provenance, progress, monthly series",
        params: T.Object({ name: Name }),
        response: { 200: T.Ref(Outcomes), ...errorResponses(404) },
      },
    },
    async (req) => evidence.outcomes(req.principal, req.params.name),
  );

  server.get(
    '/v1/initiatives/:name/measurements',
    {
      schema: {
        operationId: 'listMeasurements',
        tags,
        summary: "An initiative's self-reported measurements, newest first, with who recorded each and when",
        description:
          'Every value recorded, a corrected one too (the outcomes take the latest per period), and those of a metric since renamed.',
        params: T.Object({ name: Name }),
        querystring: T.Object({ limit: T.Integer({ minimum: 1, maximum: 1000, default: 200 }) }),
        response: { 200: T.Object({ items: T.Array(T.Ref(Measurement)) }), ...errorResponses(404) },
      },
    },
    async (req) => ({ items: await evidence.measurements(req.principal, req.params.name, req.query.limit) }),
  );

  const NewMeasurement = T.Object(
    {
      metric: T.String({ minLength: 1, maxLength: 200 }),
      // Finite and bounded like every number Fulcrum stores (docs/governance-as-code.md "Numbers").
      value: T.Number({ minimum: -1e12, maximum: 1e12 }),
      period: T.String({ minLength: 1, maxLength: 50 }),
    },
    { additionalProperties: false },
  );
  server.post(
    '/v1/initiatives/:name/measurements',
    {
      schema: {
        operationId: 'recordMeasurement',
        tags,
        summary: 'Record a value for a manual outcome metric (self-reported)',
        params: T.Object({ name: Name }),
        body: NewMeasurement,
        response: { 201: T.Ref(Measurement), ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return evidence.addMeasurement(req.principal, req.params.name, req.body);
    },
  );
}
