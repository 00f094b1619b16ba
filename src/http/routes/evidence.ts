// Evidence over HTTP: task events and OTLP traces in (agent and telemetry-collector keys), costs and
// outcome metrics out.
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { type Static, Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import { InputError } from '../../errors.js';
import type { Sender } from '../../evidence/attribution.js';
import type { EvidenceService } from '../../evidence/evidence-service.js';
import { decodeTraceRequest, encodeTraceResponse } from '../../evidence/otlp-proto.js';
import { errorResponses, Name } from '../schemas.js';

const Rejected = T.Array(T.Object({ index: T.Integer(), reason: T.String() }));
const IsoDay = T.String({ format: 'date' });

/** Telemetry routes admit only agent and collector keys (http/auth.ts `telemetry`). */
const sender = (p: Principal): Sender => ({ type: p.type === 'collector' ? 'collector' : 'agent', id: p.id });

export function evidenceRoutes(server: FastifyInstance, evidence: EvidenceService, opts: { otlpBodyLimit: number }): void {
  const tags = ['evidence'];

  server.post(
    '/v1/events',
    {
      config: { telemetry: true },
      schema: {
        tags,
        summary: 'Report task events (agent or telemetry-collector key): task.started, task.completed, handoff.human',
        description:
          'Each event is validated on its own; accepted ones are kept, rejected ones listed with index and reason. ' +
          'Re-sending an event (same agent, taskId and type) does not count it twice. An agent key books every event to its ' +
          'agent: an event whose `agent` names another is kept with that name as an attribution mismatch. A collector key ' +
          "must name each event's `agent`; one outside the collector's `agents` is booked to no agent (a mismatch).",
        body: T.Object({ events: T.Array(T.Unknown(), { maxItems: 1000 }) }),
        response: {
          200: T.Object({ accepted: T.Integer(), duplicates: T.Integer(), rejected: Rejected }),
          ...errorResponses(400, 401, 413),
        },
      },
    },
    async (req) => evidence.ingestEvents(sender(req.principal), req.body),
  );

  // OTLP/HTTP: protobuf or JSON, gzip or not (OTEL_EXPORTER_OTLP_ENDPOINT=http://host:4100/otlp).
  server.register(async (otlp) => {
    otlp.addContentTypeParser(
      'application/x-protobuf',
      { parseAs: 'buffer', bodyLimit: opts.otlpBodyLimit },
      (_req, body, done) => {
        try {
          done(null, decodeTraceRequest(body as Buffer));
        } catch (err) {
          done(new InputError(`malformed OTLP protobuf body: ${(err as Error).message}`), undefined);
        }
      },
    );
    otlp.post<{ Querystring: { dryRun: boolean } }>(
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
          if (encoding === 'gzip') return (payload as Readable).pipe(createGunzip());
          if (encoding === 'deflate') return (payload as Readable).pipe(createInflate());
          throw Object.assign(new Error(`unsupported Content-Encoding "${encoding}"`), {
            statusCode: 415,
            code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
          });
        },
        schema: {
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
          response: { ...errorResponses(400, 401, 413, 415) },
        },
      },
      async (req, reply) => {
        const { rejected, warning } = await evidence.ingestTraces(sender(req.principal), req.body, {
          dryRun: req.query.dryRun,
        });
        // OTLP's partial success carries a warning too (rejected_spans 0): spans kept, nothing counted.
        const partial =
          rejected.length || warning
            ? {
                rejectedSpans: rejected.length,
                errorMessage: [...rejected.map((r) => `span ${r.index}: ${r.reason}`), ...(warning ? [warning] : [])]
                  .join('; ')
                  .slice(0, 2000),
              }
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

  server.get<{ Querystring: { groupBy: 'agent' | 'initiative' | 'model' | 'business-unit'; from?: string; to?: string } }>(
    '/v1/costs',
    {
      schema: {
        tags,
        summary: 'Spend by agent, initiative, model or business unit (from the daily rollups)',
        querystring: T.Object({
          groupBy: T.Unsafe<'agent' | 'initiative' | 'model' | 'business-unit'>({
            type: 'string',
            enum: ['agent', 'initiative', 'model', 'business-unit'],
            default: 'agent',
          }),
          from: T.Optional(IsoDay),
          to: T.Optional(IsoDay),
        }),
        response: {
          200: T.Object({
            from: T.String(),
            to: T.String(),
            groupBy: T.String(),
            rows: T.Array(
              T.Object({
                key: T.String(),
                costUsd: T.Number(),
                inputTokens: T.Integer(),
                outputTokens: T.Integer(),
                calls: T.Integer({ description: 'model calls, priced or not' }),
                unpricedCalls: T.Integer({ description: 'model calls without a cost (not in costUsd): see unpriced' }),
                unpriced: T.Object(
                  { unknownModel: T.Integer(), noPrice: T.Integer(), noUsage: T.Integer() },
                  {
                    description:
                      'unpriced calls by reason: the model is no registry Model (name or alias), it has no USD price that day, or the span reported no token counts',
                  },
                ),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      const to = req.query.to ?? new Date().toISOString().slice(0, 10);
      const from = req.query.from ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
      if (from > to) throw new InputError(`from (${from}) is after to (${to})`);
      return evidence.costs(req.principal, { groupBy: req.query.groupBy, from, to });
    },
  );

  server.get<{ Params: { name: string } }>(
    '/v1/initiatives/:name/outcomes',
    {
      schema: {
        tags,
        summary:
          "An initiative's outcome metrics: baseline, target, current (last 30 days), provenance, progress, monthly series",
        params: T.Object({ name: Name }),
        response: { ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => evidence.outcomes(req.principal, req.params.name),
  );

  const Measurement = T.Object(
    {
      metric: T.String({ minLength: 1, maxLength: 200 }),
      // Finite and bounded like every number Fulcrum stores (docs/governance-as-code.md "Numbers").
      value: T.Number({ minimum: -1e12, maximum: 1e12 }),
      period: T.String({ minLength: 1, maxLength: 50 }),
    },
    { additionalProperties: false },
  );
  server.post<{ Params: { name: string }; Body: Static<typeof Measurement> }>(
    '/v1/initiatives/:name/measurements',
    {
      schema: {
        tags,
        summary: 'Record a value for a manual outcome metric (self-reported)',
        params: T.Object({ name: Name }),
        body: Measurement,
        response: { ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return evidence.addMeasurement(req.principal, req.params.name, req.body);
    },
  );
}
