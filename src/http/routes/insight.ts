// The scale-or-fail diagnostic over HTTP.
import { Type as T } from '@sinclair/typebox';
import type { Incident } from '../../governance/incidents.js';
import { DEFAULT_THRESHOLDS } from '../../insight/diagnostic.js';
import type { InsightService } from '../../insight/insight-service.js';
import { PlanQuery, PlanSchema } from '../../insight/plan-schema.js';
import { renderHtml, renderMarkdown } from '../../insight/report-render.js';
import type { SpendService } from '../../insight/spend.js';
import { BUDGET_CATEGORIES } from '../../registry/schemas.js';
import { onThreadOr } from '../off-loop.js';
import { errorResponses, Name, type Server } from '../schemas.js';

// The HTML board report holds inline styles and an inline SVG chart, nothing else; `sandbox` gives
// it an origin of its own even when opened straight from /v1/report.
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox";

const enumOf = <V extends readonly string[]>(values: V, options: { description?: string } = {}) =>
  T.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
const Nullable = <S extends Parameters<typeof T.Union>[0][number]>(s: S, description?: string) =>
  T.Union([s, T.Null()], description ? { description } : {});
const IsoDay = T.String({ format: 'date' });
const Window = T.Object({ from: IsoDay, to: IsoDay }, { description: 'the last 30 days' });
const Provenance = enumOf(['measured', 'self-reported', 'assumed'] as const);

const Evidence = T.Object({ label: T.String(), value: T.Union([T.String(), T.Number()]) });
const Diagnostic = T.Object(
  {
    verdict: enumOf(['scale', 'at-risk', 'fail'] as const),
    areas: T.Array(
      T.Object({
        area: enumOf(['outcomes', 'agents', 'data-infrastructure', 'governance', 'operating-model', 'budget'] as const),
        question: T.String(),
        status: enumOf(['pass', 'partial', 'fail', 'unknown'] as const),
        evidence: T.Array(Evidence),
        action: T.String(),
        why: T.Optional(T.String({ description: 'why the status is unknown' })),
      }),
    ),
    window: Window,
    generatedAt: T.String({ format: 'date-time' }),
  },
  { $id: 'Diagnostic', description: 'scale or fail: the six checklist areas answered from live evidence, with a verdict' },
);

// The named lists of src/insight/signals.ts.
const Signals = T.Object(
  {
    stalledPilots: T.Array(
      T.Object({
        initiative: T.String(),
        since: T.String({ description: 'the day it became a pilot' }),
        days: T.Integer(),
      }),
      { description: 'pilots past 180 days, longest first' },
    ),
    agentSprawl: T.Object(
      {
        perArchetype: T.Array(T.Object({ archetype: T.String(), agents: T.Array(T.String()) })),
        adHoc: T.Array(T.String(), { description: 'agents of no archetype' }),
        nearDuplicates: T.Array(
          T.Object({
            // A pair, as an array of two (OpenAPI 3.1 has prefixItems; a tuple's `items` array is 3.0's).
            agents: T.Unsafe<[string, string]>(T.Array(T.String(), { minItems: 2, maxItems: 2 })),
            sharedTools: T.Array(T.String()),
            similarity: T.Number({ description: 'Jaccard similarity of their tools, 0–1' }),
          }),
          {
            description:
              'agents of different initiatives calling (nearly) the same tools: candidates to consolidate; the first 100 pairs, most alike first, then by name',
          },
        ),
        nearDuplicatePairs: T.Integer({ minimum: 0, description: 'how many such pairs there are in all' }),
      },
      { description: 'agents per archetype, ad hoc, near-duplicates' },
    ),
    notReady: T.Object(
      {
        onUnreadyData: T.Array(T.Object({ initiative: T.String(), dataDomains: T.Array(T.String()) })),
        withoutMeasuredOutcomes: T.Array(T.String()),
      },
      { description: 'active initiatives on unready data or without a measured outcome' },
    ),
    attributionMismatches: T.Array(
      T.Object({
        sentBy: T.String({ description: 'the credential that sent it: agent:NAME or collector:NAME' }),
        claimedAgent: T.String({ description: 'the agent the telemetry named' }),
        bookedTo: Nullable(T.String(), "the sender's agent, or null: booked to no agent"),
        spans: T.Integer(),
        events: T.Integer(),
        costUsd: T.Number({ description: 'measured cost of those spans, booked to bookedTo' }),
        lastDay: IsoDay,
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
          noUsage: T.Integer({
            description: 'the span did not report both its input and output token counts (e.g. a stream without usage)',
          }),
          serviceTier: T.Integer({
            description: "the provider billed the call at a service tier above the Model's price (e.g. OpenAI's priority)",
          }),
        }),
        lastDay: IsoDay,
      }),
      {
        description:
          'model calls of the last 30 days Fulcrum could not price, per agent and model, most calls first: the first 100 (docs/evidence.md)',
      },
    ),
    unpricedModelCallsTotal: T.Integer({
      description: 'how many (agent, model) pairs had unpriced calls (unpricedModelCalls holds the first 100)',
    }),
  },
  { $id: 'Signals', description: 'named lists to act on: pilot paralysis, agent sprawl, not ready, attribution, unpriced calls' },
);

const Roi = T.Object(
  {
    initiative: T.String(),
    window: Window,
    value: T.Object({
      total: T.Number(),
      provenance: Provenance,
      items: T.Array(
        T.Object({
          metric: T.String(),
          unit: T.String(),
          improvement: T.Number({ description: 'current against baseline, in the direction the metric should move' }),
          improvementProvenance: T.String({ description: 'measured or self-reported' }),
          valuePerUnit: T.Number({ description: 'assumed: stated on the initiative' }),
          value: T.Number(),
        }),
      ),
      notValued: T.Array(T.Object({ metric: T.String(), why: T.String() }), {
        description: 'metrics that give no value: no valuePerUnit, or no current value',
      }),
    }),
    cost: T.Object({
      total: T.Number({ description: 'USD; a lower bound when `incomplete` is not empty' }),
      items: T.Array(T.Object({ source: T.String(), amountUsd: T.Number(), provenance: Provenance })),
      incomplete: T.Array(T.String(), {
        description: 'what the total leaves out (model calls without a price, spend in another currency); empty when whole',
      }),
    }),
    roi: Nullable(
      T.Number(),
      '(value − cost) ÷ cost; null without cost, when the cost is incomplete (cost.incomplete), or when no outcome is valued',
    ),
    provenance: Provenance,
  },
  { $id: 'Roi', description: 'ROI of an initiative over the last 30 days, each number labelled with where it comes from' },
);

const Category = enumOf(BUDGET_CATEGORIES);
const CategoryAlignment = T.Object({
  category: Category,
  allocated: T.Number(),
  proRated: T.Number({ description: 'the allocation times the share of the period elapsed' }),
  actual: Nullable(T.Number(), 'spend lines and telemetry to date; null when the stored amounts overflow a number'),
  deviation: Nullable(T.Number(), '(actual − proRated) ÷ proRated; null when nothing is allocated'),
  offPlan: T.Boolean({ description: 'the deviation is beyond the tolerance' }),
});
const SpendOnStalledPilot = T.Object({ initiative: T.String(), since: T.String(), amount: T.Number() });
const Alignment = T.Object(
  {
    budget: T.String(),
    currency: T.String(),
    period: T.Object({ from: IsoDay, to: IsoDay }),
    elapsed: T.Number({ description: 'share of the period elapsed, 0–1' }),
    categories: T.Array(CategoryAlignment),
    total: T.Number({ description: 'actual spend to date' }),
    spendWithoutOutcomes: T.Object({
      total: T.Number(),
      share: T.Number({ description: 'of the total, 0–1' }),
      initiatives: T.Array(T.Object({ initiative: T.String(), amount: T.Number() })),
    }),
    spendOnStalledPilots: T.Array(SpendOnStalledPilot),
    unpricedModelCalls: T.Integer({
      minimum: 0,
      description:
        'model calls in its period to date without a price (a model not registered, or not priced that day): their cost is unknown and in no category, so model-licences and infrastructure-compute are lower bounds (GET /v1/signals lists them)',
    }),
    telemetryNotIncludedUsd: T.Optional(
      T.Number({
        description:
          'for a budget in another currency than USD: the model-call cost measured from telemetry (in USD) in its period to date, which its actuals leave out (Fulcrum converts no currency)',
      }),
    ),
  },
  { $id: 'Alignment', description: "a budget's allocation against actual spend per category, and the signals on it" },
);

const SpendImport = T.Object(
  {
    budget: T.String(),
    importId: T.String({ description: 'the import, to list or withdraw it (spi_…)' }),
    imported: T.Integer({ description: 'lines imported' }),
    total: T.Number({ description: 'their sum, in the budget currency' }),
    alreadyImported: T.Optional(
      T.Literal(true, { description: 'the same lines were imported before: this is that import, and nothing was booked again' }),
    ),
  },
  { $id: 'SpendImport' },
);

const SpendImports = T.Object(
  {
    items: T.Array(
      T.Object({
        budget: T.String(),
        importId: T.String(),
        imported: T.Integer(),
        total: T.Number(),
        importedBy: T.String(),
        importedAt: T.String(),
      }),
    ),
  },
  { $id: 'SpendImports', description: "a budget's recorded spend imports, newest first" },
);

const Plan = T.Object(PlanSchema.properties, {
  $id: 'Plan',
  description: 'a recommendation per active initiative, a four-quarter roadmap within budget and compute, the model mix',
});

// The report's Incident is the shape GET /v1/incidents answers (registered by routes/incidents.ts).
const IncidentRef = T.Unsafe<Incident>(T.Ref('Incident'));
const Report = T.Object(
  {
    title: T.String(),
    generatedAt: T.String({ format: 'date-time' }),
    window: Window,
    diagnostic: T.Ref(Diagnostic),
    initiatives: T.Array(
      T.Object({
        name: T.String(),
        title: T.String(),
        stage: T.String(),
        riskTier: Nullable(T.String(), 'the tier in force; null: not assessed'),
        owner: T.String(),
        businessUnit: T.String(),
        metrics: T.Array(
          T.Object({
            name: T.String(),
            unit: T.String(),
            direction: enumOf(['increase', 'decrease'] as const),
            baseline: T.Number(),
            target: T.Number(),
            current: Nullable(T.Number()),
            progress: Nullable(T.Number()),
            provenance: enumOf(['measured', 'self-reported', 'none'] as const),
          }),
        ),
        roi: T.Object({
          value: Nullable(T.Number(), 'USD; null when no outcome could be valued'),
          valueProvenance: T.String(),
          cost: T.Number({ description: 'USD; a lower bound when `costIncomplete` is not empty' }),
          costIncomplete: T.Array(T.String(), { description: 'what the cost leaves out (GET /v1/initiatives/{name}/roi)' }),
          roi: Nullable(T.Number()),
          provenance: Provenance,
        }),
      }),
      { description: 'active initiatives' },
    ),
    budgets: T.Array(
      T.Object({
        name: T.String(),
        currency: T.String(),
        period: T.Object({ from: IsoDay, to: IsoDay }),
        categories: T.Array(CategoryAlignment),
        total: T.Object({
          allocated: T.Number(),
          proRated: T.Number(),
          actual: Nullable(T.Number(), 'null when the stored amounts overflow a number'),
        }),
        withoutOutcomes: T.Array(T.Object({ initiative: T.String(), amount: T.Number() })),
        stalledPilots: T.Array(SpendOnStalledPilot),
        telemetryNotIncludedUsd: T.Optional(
          T.Number({ description: 'a budget in another currency than USD: the USD telemetry cost its actuals leave out' }),
        ),
        unpricedModelCalls: T.Integer({
          minimum: 0,
          description: 'model calls in its period to date without a price: their cost is unknown and not in the actuals',
        }),
      }),
      { description: 'budgets covering today' },
    ),
    incidents: T.Object(
      {
        open: T.Array(IncidentRef, { description: 'the most pressing open or mitigated incidents, at most `listed`' }),
        openCount: T.Integer({ description: 'how many incidents are open or mitigated' }),
        recent: T.Array(IncidentRef, { description: 'the most pressing incidents opened in the last 90 days, at most `listed`' }),
        recentCount: T.Integer({ description: 'how many incidents were opened in the last 90 days' }),
        pressing: T.Array(IncidentRef, {
          description:
            'what the report lists: the most pressing of the incidents open or mitigated (however old) and those opened in the last 90 days, at most `listed`',
        }),
        pressingCount: T.Integer({ description: 'how many incidents `pressing` is drawn from' }),
        recentBySeverity: T.Object(
          { sev1: T.Integer(), sev2: T.Integer(), sev3: T.Integer(), sev4: T.Integer() },
          { description: 'the last 90 days’ incidents by severity' },
        ),
        recentByStatus: T.Object(
          { open: T.Integer(), mitigated: T.Integer(), resolved: T.Integer(), closed: T.Integer() },
          { description: 'the last 90 days’ incidents by status now' },
        ),
        listed: T.Integer({ description: 'how many incidents each list holds at most' }),
        overdue: T.Integer({ description: 'serious incidents past their reporting deadline' }),
      },
      {
        description:
          'counts, and the most pressing incidents first: serious with an overdue report, serious, by severity, unresolved, newest (GET /v1/incidents lists them all)',
      },
    ),
    risks: T.Array(
      T.Object({
        initiative: T.String(),
        tier: T.String({ description: 'the tier in force, or "untiered"' }),
        stage: T.String(),
        oversightOwner: Nullable(T.String()),
        incidentOwner: Nullable(T.String()),
      }),
      { description: 'initiatives not retired, highest tier first' },
    ),
    signals: T.Ref(Signals),
    shadowAgents: T.Array(T.String(), { description: 'unregistered agents seen in the window, e.g. telemetry:NAME' }),
    plan: T.Optional(T.Array(T.String(), { description: "the plan's calls as lines" })),
  },
  { $id: 'Report', description: 'the board report: what the md, html and pdf renderings show' },
);

export function insightRoutes(server: Server, insight: InsightService, spend: SpendService): void {
  server.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  for (const schema of [Diagnostic, Signals, Roi, Alignment, SpendImport, SpendImports, Plan, Report]) server.addSchema(schema);
  // Every threshold can be overridden per request, e.g. ?minMeasuredInitiatives=8.
  // Each within what it can mean (a share is at most 1; `Infinity` answered "pilots older than
  // Infinity days"), so that a number out of range is a 400 naming it.
  const MAXIMA: Record<keyof typeof DEFAULT_THRESHOLDS, number> = {
    minMeasuredInitiatives: 100_000,
    minStandardisedShare: 1,
    minAssessedDomainShare: 1,
    minTieredShare: 1,
    budgetTolerance: 100,
    maxUnmeasuredSpendShare: 1,
    stalledPilotDays: 36_500,
  };
  const Query = T.Object(
    Object.fromEntries(
      Object.entries(DEFAULT_THRESHOLDS).map(([k, v]) => [
        k,
        T.Optional(T.Number({ minimum: 0, maximum: MAXIMA[k as keyof typeof MAXIMA], description: `default ${v}` })),
      ]),
    ),
  );
  server.get(
    '/v1/diagnostic',
    {
      schema: {
        operationId: 'getDiagnostic',
        tags: ['insight'],
        summary: 'Scale or fail: the six checklist areas answered from live evidence, with a verdict',
        querystring: Query,
        response: { 200: T.Ref(Diagnostic) },
      },
    },
    async (req) => insight.diagnostic(req.principal, req.query),
  );

  server.get(
    '/v1/plan',
    {
      schema: {
        operationId: 'getPlan',
        tags: ['insight'],
        summary:
          'The plan: scale, fix-then-scale, continue or stop per active initiative (with evidence and blockers), a four-quarter roadmap within budget and compute, and the model mix',
        description: 'The rules and thresholds are in docs/insight.md "The plan"; each threshold can be overridden here.',
        querystring: PlanQuery,
        response: { 200: T.Ref(Plan) },
      },
    },
    async (req) => insight.plan(req.principal, req.query),
  );

  server.get(
    '/v1/initiatives/:name/roi',
    {
      schema: {
        operationId: 'getRoi',
        tags: ['insight'],
        summary:
          'ROI over the last 30 days: value (improvement × valuePerUnit) against cost, each number labelled measured, self-reported or assumed',
        params: T.Object({ name: Name }),
        response: { 200: T.Ref(Roi), ...errorResponses(404) },
      },
    },
    async (req) => insight.roi(req.principal, req.params.name),
  );

  server.get(
    '/v1/signals',
    {
      schema: {
        operationId: 'getSignals',
        tags: ['insight'],
        summary:
          'Pilot paralysis (pilots over 180 days), agent sprawl (per archetype, ad hoc, near-duplicates), where AI is not ready ' +
          'and attribution mismatches',
        response: { 200: T.Ref(Signals) },
      },
    },
    async (req) => insight.signals(req.principal),
  );

  server.post(
    '/v1/budgets/:name/spend',
    {
      schema: {
        operationId: 'importSpend',
        tags: ['insight'],
        summary:
          'Import spend lines: CSV (date,category,amount,initiative,description) or JSON {"lines":[…]}, at most 10,000 lines an import; any bad line refuses the whole file',
        params: T.Object({ name: Name }),
        body: {
          content: {
            'text/csv': { schema: T.String({ description: 'a header row date,category,amount,initiative,description' }) },
            'application/json': {
              schema: T.Unknown({
                description:
                  '{"lines":[{date,category,amount,initiative?,description?,currency?}]} (or the array itself); amounts are in the budget currency, which a line\'s currency must be; any other field is refused; every line is checked and all problems listed (422)',
              }),
            },
          },
        },
        response: {
          201: T.Ref(SpendImport),
          200: T.Ref(SpendImport, { description: 'the same lines were imported before: that import, nothing booked again' }),
          ...errorResponses(400, 404, 422),
        },
      },
    },
    async (req, reply) => {
      const result = await spend.import(req.principal, req.params.name, req.body);
      reply.code('alreadyImported' in result ? 200 : 201);
      return result;
    },
  );

  server.get(
    '/v1/budgets/:name/spend',
    {
      schema: {
        operationId: 'listSpendImports',
        tags: ['insight'],
        summary: "A budget's spend imports, newest first",
        params: T.Object({ name: Name }),
        response: { 200: T.Ref(SpendImports), ...errorResponses(404) },
      },
    },
    async (req) => ({ items: await spend.list(req.principal, req.params.name) }),
  );

  server.delete(
    '/v1/budgets/:name/spend/:importId',
    {
      schema: {
        operationId: 'withdrawSpendImport',
        tags: ['insight'],
        summary: 'Withdraw a spend import and its lines (then import a corrected re-issue)',
        params: T.Object({ name: Name, importId: T.String({ maxLength: 200 }) }),
        response: { 204: T.Null({ description: 'withdrawn' }), ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      await spend.withdraw(req.principal, req.params.name, req.params.importId);
      reply.code(204);
    },
  );

  server.get(
    '/v1/budgets/:name/alignment',
    {
      schema: {
        operationId: 'getAlignment',
        tags: ['insight'],
        summary:
          'Allocation against actual spend per category (spend lines + telemetry), spend without outcomes, spend on stalled pilots',
        params: T.Object({ name: Name }),
        response: { 200: T.Ref(Alignment), ...errorResponses(404) },
      },
    },
    async (req) => insight.alignment(req.principal, req.params.name),
  );

  server.get(
    '/v1/report',
    {
      schema: {
        operationId: 'getReport',
        tags: ['insight'],
        summary:
          'The board report: verdict and scorecard, outcomes against targets, ROI with provenance, spend against allocation, incidents and risks, where AI is not ready',
        description:
          '`format=pdf` (A4, for print), `html` (one self-contained page), `md` (Markdown), or `json` (the data behind them). ' +
          'A PDF asked for while four others wait to be drawn on the node is answered 503 with Retry-After.',
        querystring: T.Object({
          format: T.Unsafe<'md' | 'html' | 'pdf' | 'json'>({
            type: 'string',
            enum: ['md', 'html', 'pdf', 'json'],
            default: 'html',
          }),
        }),
        response: {
          200: {
            description: 'the report in the format asked for',
            content: {
              'application/pdf': { schema: T.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
              'text/html': { schema: T.String() },
              'text/markdown': { schema: T.String() },
              'application/json': { schema: T.Ref(Report) },
            },
          },
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
          // Drawn on a worker thread of its own (src/http/off-loop.ts): in one piece on the event loop it
          // held the node's decisions for ~90 ms (quiet) to ~1 s (busy) per report; on the thread that
          // reads LLM bodies it held those. PDFKit and its fonts (~10 MB) load with the first PDF, not
          // with every server and CLI start.
          const pdf = await onThreadOr<Uint8Array>({ task: 'report-pdf', report }, async () => {
            const { renderPdf } = await import('../../insight/report-pdf.js');
            return renderPdf(report);
          });
          reply.header('content-disposition', `attachment; filename="${name}.pdf"`);
          return reply.type('application/pdf').send(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
        }
        default:
          // A page built from registry text, on Fulcrum's origin: nothing in it may run or load.
          return reply.header('content-security-policy', REPORT_CSP).type('text/html; charset=utf-8').send(renderHtml(report));
      }
    },
  );
}
