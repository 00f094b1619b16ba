// The scale-or-fail diagnostic over HTTP.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../insight/diagnostic.js';
import type { InsightService } from '../../insight/insight-service.js';
import type { PlanThresholds } from '../../insight/plan.js';
import { PlanQuery, PlanSchema } from '../../insight/plan-schema.js';
import { renderHtml, renderMarkdown } from '../../insight/report-render.js';
import type { SpendService } from '../../insight/spend.js';
import { errorResponses, Name } from '../schemas.js';

const Evidence = T.Object({ label: T.String(), value: T.Union([T.String(), T.Number()]) });
// The lists of `Signals` (src/insight/signals.ts); attribution mismatches spelled out, the rest passed through.
const Signals = T.Object(
  {
    stalledPilots: T.Unknown({ description: 'pilots past 180 days, longest first' }),
    agentSprawl: T.Unknown({ description: 'agents per archetype, ad hoc, near-duplicates' }),
    notReady: T.Unknown({ description: 'active initiatives on unready data or without a measured outcome' }),
    attributionMismatches: T.Array(
      T.Object({
        sentBy: T.String({ description: 'the credential that sent it: agent:NAME or collector:NAME' }),
        claimedAgent: T.String({ description: 'the agent the telemetry named' }),
        bookedTo: T.Union([T.String(), T.Null()], { description: "the sender's agent, or null: booked to no agent" }),
        spans: T.Integer(),
        events: T.Integer(),
        costUsd: T.Number({ description: 'measured cost of those spans, booked to bookedTo' }),
        lastDay: T.String({ format: 'date' }),
      }),
      { description: 'telemetry of the last 30 days naming an agent its sender may not speak for (docs/evidence.md)' },
    ),
    unpricedModelCalls: T.Array(
      T.Object({
        agent: T.String(),
        model: T.String({ description: 'the registry Model, or the id the telemetry reported when it is none' }),
        calls: T.Integer({ description: 'model calls without a cost, left out of every spend figure' }),
        reasons: T.Object({
          unknownModel: T.Integer({ description: 'no registry Model has this name or alias' }),
          noPrice: T.Integer({ description: 'the Model has no USD price on that day' }),
          noUsage: T.Integer({ description: 'the span reported no token counts (e.g. a stream without usage)' }),
        }),
        lastDay: T.String({ format: 'date' }),
      }),
      { description: 'model calls of the last 30 days Fulcrum could not price, per agent and model (docs/evidence.md)' },
    ),
  },
  { additionalProperties: true },
);
const Diagnostic = T.Object({
  verdict: T.Unsafe<string>({ type: 'string', enum: ['scale', 'at-risk', 'fail'] }),
  areas: T.Array(
    T.Object({
      area: T.String(),
      question: T.String(),
      status: T.Unsafe<string>({ type: 'string', enum: ['pass', 'partial', 'fail', 'unknown'] }),
      evidence: T.Array(Evidence),
      action: T.String(),
      why: T.Optional(T.String()),
    }),
  ),
  window: T.Object({ from: T.String(), to: T.String() }),
  generatedAt: T.String(),
});

export function insightRoutes(server: FastifyInstance, insight: InsightService, spend: SpendService): void {
  server.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // Every threshold can be overridden per request, e.g. ?minMeasuredInitiatives=8.
  const Query = T.Object(
    Object.fromEntries(
      Object.entries(DEFAULT_THRESHOLDS).map(([k, v]) => [k, T.Optional(T.Number({ minimum: 0, description: `default ${v}` }))]),
    ),
  );
  server.get<{ Querystring: Partial<Thresholds> }>(
    '/v1/diagnostic',
    {
      schema: {
        tags: ['insight'],
        summary: 'Scale or fail: the six checklist areas answered from live evidence, with a verdict',
        querystring: Query,
        response: { 200: Diagnostic, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => insight.diagnostic(req.principal, req.query),
  );

  server.get<{ Querystring: Partial<PlanThresholds> }>(
    '/v1/plan',
    {
      schema: {
        tags: ['insight'],
        summary:
          'The plan: scale, fix-then-scale, continue or stop per active initiative (with evidence and blockers), a four-quarter roadmap within budget and compute, and the model mix',
        description: 'The rules and thresholds are in docs/insight.md "The plan"; each threshold can be overridden here.',
        querystring: PlanQuery,
        response: { 200: PlanSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => insight.plan(req.principal, req.query),
  );

  server.get<{ Params: { name: string } }>(
    '/v1/initiatives/:name/roi',
    {
      schema: {
        tags: ['insight'],
        summary:
          'ROI over the last 30 days: value (improvement × valuePerUnit) against cost, each number labelled measured, self-reported or assumed',
        params: T.Object({ name: Name }),
        response: errorResponses(401, 403, 404),
      },
    },
    async (req) => insight.roi(req.principal, req.params.name),
  );

  server.get(
    '/v1/signals',
    {
      schema: {
        tags: ['insight'],
        summary:
          'Pilot paralysis (pilots over 180 days), agent sprawl (per archetype, ad hoc, near-duplicates), where AI is not ready ' +
          'and attribution mismatches',
        response: { 200: Signals, ...errorResponses(401, 403) },
      },
    },
    async (req) => insight.signals(req.principal),
  );

  server.post<{ Params: { name: string }; Body: unknown }>(
    '/v1/budgets/:name/spend',
    {
      schema: {
        tags: ['insight'],
        summary:
          'Import spend lines: CSV (date,category,amount,initiative,description) or JSON {"lines":[…]}; any bad line refuses the whole file',
        params: T.Object({ name: Name }),
        response: errorResponses(400, 401, 403, 404, 415, 422),
      },
    },
    async (req, reply) => {
      reply.code(201);
      return spend.import(req.principal, req.params.name, req.body);
    },
  );

  server.get<{ Params: { name: string } }>(
    '/v1/budgets/:name/alignment',
    {
      schema: {
        tags: ['insight'],
        summary:
          'Allocation against actual spend per category (spend lines + telemetry), spend without outcomes, spend on stalled pilots',
        params: T.Object({ name: Name }),
        response: errorResponses(401, 403, 404),
      },
    },
    async (req) => insight.alignment(req.principal, req.params.name),
  );

  server.get<{ Querystring: { format: 'md' | 'html' | 'pdf' | 'json' } }>(
    '/v1/report',
    {
      schema: {
        tags: ['insight'],
        summary:
          'The board report: verdict and scorecard, outcomes against targets, ROI with provenance, spend against allocation, incidents and risks, where AI is not ready',
        description:
          '`format=pdf` (A4, for print), `html` (one self-contained page), `md` (Markdown), or `json` (the data behind them).',
        querystring: T.Object({
          format: T.Unsafe<string>({ type: 'string', enum: ['md', 'html', 'pdf', 'json'], default: 'html' }),
        }),
        response: {
          200: {
            description: 'the report in the format asked for',
            content: {
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
              'text/html': { schema: { type: 'string' } },
              'text/markdown': { schema: { type: 'string' } },
              'application/json': { schema: { type: 'object', additionalProperties: true } },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req, reply) => {
      const report = await insight.report(req.principal);
      const name = `board-report-${report.generatedAt.slice(0, 10)}`;
      switch (req.query.format) {
        case 'json':
          return report;
        case 'md':
          reply.header('content-disposition', `attachment; filename="${name}.md"`);
          return reply.type('text/markdown; charset=utf-8').send(renderMarkdown(report));
        case 'pdf': {
          // PDFKit and its fonts (~10 MB) load with the first PDF, not with every server and CLI start.
          const { renderPdf } = await import('../../insight/report-pdf.js');
          reply.header('content-disposition', `attachment; filename="${name}.pdf"`);
          return reply.type('application/pdf').send(await renderPdf(report));
        }
        default:
          return reply.type('text/html; charset=utf-8').send(renderHtml(report));
      }
    },
  );
}
