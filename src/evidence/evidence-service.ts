// Evidence: what agents did (task events, OTLP spans), what it cost (priced at ingest), and how
// initiatives' outcome metrics move against their baselines (from the daily rollups).
import type { Kysely } from 'kysely';
import { assertCan, hasRole, type Principal } from '../auth/principal.js';
import type { Database, SpanTable, TaskEventTable } from '../db/schema.js';
import { InputError, NotAllowedError, NotFoundError } from '../errors.js';
import type { ShadowSource } from '../guard/shadow-store.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { createPriceBook } from './cost.js';
import { mapEvent } from './events.js';
import { createEvidenceStore } from './evidence-store.js';
import { isInference, type MappedSpan, mapTraceRequest } from './otlp.js';
import { computeOutcomes, type OutcomeReport } from './outcomes.js';

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  recordShadow(identity: string, source: ShadowSource, detail: string): Promise<void>;
}

export type CostGroup = 'agent' | 'initiative' | 'model' | 'business-unit';
export type EvidenceService = ReturnType<typeof createEvidenceService>;

const MAX_EVENTS = 1000;

export function createEvidenceService(deps: Deps) {
  const store = createEvidenceStore(deps.db);

  async function shadowsFor(registry: RegistrySnapshot, names: Iterable<string>): Promise<void> {
    for (const name of new Set(names))
      if (!registry.has('Agent', name))
        await deps.recordShadow(`telemetry:${name}`, 'telemetry', `telemetry names agent "${name}"`);
  }

  return {
    /** POST /v1/events: each event on its own; accepted ones are kept, duplicates counted once. */
    async ingestEvents(agent: string, body: unknown) {
      const list = (body as { events?: unknown } | null)?.events;
      if (!Array.isArray(list)) throw new InputError('the body must be {"events":[...]}');
      if (list.length > MAX_EVENTS) throw new InputError(`at most ${MAX_EVENTS} events per request`);
      const now = new Date().toISOString();
      const rows: TaskEventTable[] = [];
      const rejected: Array<{ index: number; reason: string }> = [];
      list.forEach((raw, index) => {
        try {
          const e = mapEvent(raw);
          rows.push({
            agent,
            task_id: e.taskId,
            type: e.type,
            workflow: e.workflow,
            outcome: e.outcome,
            duration_ms: e.durationMs,
            started_at: e.startedAt,
            ended_at: e.at,
            day: e.day,
            cost_usd: e.costUsd,
            source: 'api',
            registered: 1,
            attributes: JSON.stringify(e.attributes),
            received_at: now,
          });
        } catch (err) {
          rejected.push({ index, reason: (err as Error).message });
        }
      });
      const stored = await store.ingest(rows, []);
      return { accepted: rows.length, duplicates: rows.length - stored.events, rejected };
    },

    /** OTLP traces: spans are attributed to the agent they name, else to the sender's agent. */
    async ingestTraces(senderAgent: string, body: unknown, opts: { dryRun?: boolean } = {}) {
      const { spans, rejected } = mapTraceRequest(body);
      if (opts.dryRun) return { accepted: spans.length, rejected };
      const registry = await deps.registry();
      const prices = createPriceBook(registry);
      const now = new Date().toISOString();
      const rows = spans.map((s) => spanRow(s, s.agentName ?? senderAgent, registry, prices, now));
      const events = spans
        .filter((s) => s.taskOutcome !== null && s.operation === 'invoke_agent')
        .map((s): TaskEventTable => {
          const agent = s.agentName ?? senderAgent;
          return {
            agent,
            task_id: s.taskId ?? `${s.traceId}/${s.spanId}`,
            type: 'task.completed',
            workflow: s.workflow,
            outcome: s.taskOutcome,
            duration_ms: Math.round(s.durationMs),
            started_at: s.startAt,
            ended_at: new Date(Date.parse(s.startAt) + s.durationMs).toISOString(),
            day: s.day,
            cost_usd: null,
            source: 'otlp',
            registered: registry.has('Agent', agent) ? 1 : 0,
            attributes: '{}',
            received_at: now,
          };
        });
      await store.ingest(events, rows);
      await shadowsFor(
        registry,
        rows.map((r) => r.row.agent),
      );
      return { accepted: spans.length, rejected };
    },

    /** Spend from the rollups, grouped; initiative and business unit come from the registry. */
    async costs(actor: Principal, q: { groupBy: CostGroup; from: string; to: string }) {
      assertCan(actor, 'registry.read');
      const rows = await deps.db
        .selectFrom('evidence_daily')
        .select((eb) => [
          'agent',
          'model',
          eb.fn.sum<number>(eb('cost_measured_usd', '+', eb.ref('cost_reported_usd'))).as('cost'),
          eb.fn.sum<number>('input_tokens').as('input'),
          eb.fn.sum<number>('output_tokens').as('output'),
          eb.fn.sum<number>('model_calls').as('calls'),
        ])
        .where('day', '>=', q.from)
        .where('day', '<=', q.to)
        .groupBy(['agent', 'model'])
        .execute();
      const registry = await deps.registry();
      const keyOf = (agent: string, model: string): string => {
        const initiative = registry.get('Agent', agent)?.spec.initiative;
        switch (q.groupBy) {
          case 'agent':
            return agent;
          case 'model':
            return model;
          case 'initiative':
            return initiative ?? '(unregistered)';
          case 'business-unit':
            return (initiative && registry.get('Initiative', initiative)?.spec.businessUnit) ?? '(unregistered)';
        }
      };
      const groups = new Map<
        string,
        { key: string; costUsd: number; inputTokens: number; outputTokens: number; calls: number }
      >();
      for (const r of rows) {
        if (q.groupBy === 'model' && r.model === '') continue; // tasks and tool spans: no model to group by
        const key = keyOf(r.agent, r.model);
        const g = groups.get(key) ?? { key, costUsd: 0, inputTokens: 0, outputTokens: 0, calls: 0 };
        g.costUsd += Number(r.cost ?? 0);
        g.inputTokens += Number(r.input ?? 0);
        g.outputTokens += Number(r.output ?? 0);
        g.calls += Number(r.calls ?? 0);
        groups.set(key, g);
      }
      const out = [...groups.values()].map((g) => ({ ...g, costUsd: Math.round(g.costUsd * 1e6) / 1e6 }));
      return {
        from: q.from,
        to: q.to,
        groupBy: q.groupBy,
        rows: out.sort((a, b) => b.costUsd - a.costUsd || a.key.localeCompare(b.key)),
      };
    },

    async outcomes(actor: Principal, initiative: string, asOf = new Date()): Promise<OutcomeReport> {
      assertCan(actor, 'registry.read');
      const registry = await deps.registry();
      const i = registry.get('Initiative', initiative);
      if (!i) throw new NotFoundError(`no Initiative named "${initiative}"`);
      return computeOutcomes(deps.db, registry, initiative, asOf);
    },

    /** A self-reported value for a `manual` metric. */
    async addMeasurement(actor: Principal, initiative: string, m: { metric: string; value: number; period: string }) {
      const registry = await deps.registry();
      const i = registry.get('Initiative', initiative);
      if (!i) throw new NotFoundError(`no Initiative named "${initiative}"`);
      if (!(hasRole(actor, 'platform') || (actor.type === 'person' && actor.id === i.spec.owner)))
        throw new NotAllowedError(`only the initiative's owner, platform or admin may record measurements for ${initiative}`);
      const metric = i.spec.outcomes.find((o) => o.name === m.metric);
      if (!metric) throw new NotFoundError(`initiative ${initiative} has no outcome metric "${m.metric}"`);
      if (metric.source !== 'manual')
        throw new InputError(
          `metric "${m.metric}" is measured from telemetry (${metric.source}); measurements are for manual metrics`,
        );
      const row = {
        initiative,
        metric: m.metric,
        period: m.period,
        value: m.value,
        provenance: 'self-reported',
        recorded_by: actor.type === 'person' ? `person:${actor.id}` : actor.type,
        recorded_at: new Date().toISOString(),
      };
      await deps.db.insertInto('measurements').values(row).execute();
      return { ...row, recordedBy: row.recorded_by, recordedAt: row.recorded_at };
    },
  };
}

function spanRow(
  s: MappedSpan,
  agent: string,
  registry: RegistrySnapshot,
  prices: ReturnType<typeof createPriceBook>,
  now: string,
): { row: SpanTable; inference: boolean } {
  const model = s.model ? prices.resolve(s.model) : null;
  const inference = isInference(s);
  const cost =
    inference && model
      ? prices.cost(model, s.day, { input: s.inputTokens ?? 0, output: s.outputTokens ?? 0, cached: s.cachedTokens ?? 0 })
      : null;
  return {
    inference,
    row: {
      trace_id: s.traceId,
      span_id: s.spanId,
      parent_span_id: s.parentSpanId,
      agent,
      registered: registry.has('Agent', agent) ? 1 : 0,
      name: s.name.slice(0, 500),
      operation: s.operation,
      start_at: s.startAt,
      day: s.day,
      duration_ms: s.durationMs,
      model_reported: s.model,
      model,
      provider: s.provider,
      input_tokens: s.inputTokens,
      output_tokens: s.outputTokens,
      cached_tokens: s.cachedTokens,
      cost_usd: cost,
      tool: s.tool,
      error_type: s.errorType,
      task_outcome: s.taskOutcome,
      received_at: now,
    },
  };
}
