// Evidence: what agents did (task events, OTLP spans), what it cost (priced at ingest), and how
// initiatives' outcome metrics move against their baselines (from the daily rollups).
import type { Kysely } from 'kysely';
import { assertCan, hasRole, type Principal } from '../auth/principal.js';
import type { Database, SpanTable, TaskEventTable } from '../db/schema.js';
import { InputError, NotAllowedError, NotFoundError } from '../errors.js';
import type { ShadowSource } from '../guard/shadow-store.js';
import { toolForCall } from '../mcp/catalog.js';
import type { Observability } from '../observability.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { createRegistryStore } from '../registry/registry-store.js';
import { attributor, type Sender, sentBy, UNBOOKED } from './attribution.js';
import { createPriceBook, tierAbovePrice } from './cost.js';
import { type CostGroup, queryCosts } from './costs.js';
import { mapEvent } from './events.js';
import { createEvidenceStore } from './evidence-store.js';
import { purgedCheck, tooOldCheck } from './horizon.js';
import { isInference, MAX_REASONS, type MappedSpan, mapTraceRequest, type Rejected, unknownUsageOperation } from './otlp.js';
import type { MappedExport } from './otlp-body.js';
import { computeOutcomes, type OutcomeReport } from './outcomes.js';

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  recordShadow(identity: string, source: ShadowSource, detail: string): Promise<void>;
  /** The longest evidence is kept, in days (governance/retention.ts evidenceKeptDays): older is refused. */
  evidenceKeptDays(): Promise<number>;
  /** The time up to which retention may have purged this kind of evidence (governance/retention.ts
   *  readPurgedUpTo), null if never: older is refused, or a re-send would be counted again. */
  purgedUpTo(type: 'events' | 'spans'): Promise<number | null>;
  /** Counts spans accepted, rejected and unpriced (fulcrum_otlp_spans_total, fulcrum_unpriced_model_calls_total). */
  observe?: Pick<Observability, 'spansIngested'>;
}

export type { CostGroup, CostRow } from './costs.js';
export type EvidenceService = ReturnType<typeof createEvidenceService>;

/** Groups `costs` answers when the caller names no limit (GET /v1/costs `limit`). */
const DEFAULT_COST_ROWS = 100;
const MAX_EVENTS = 1000;
/** Spans of an OTLP export stored together: with their task events (at most one per span, in practice
 *  one in eight) within the store's slice of 512 rows, in one transaction. */
const OTLP_PART_SPANS = 448;

export function createEvidenceService(deps: Deps) {
  const store = createEvidenceStore(deps.db);

  /** Names the registry does not know are shadow agents, whoever sent them (docs/evidence.md). */
  async function shadowsFor(registry: RegistrySnapshot, sender: Sender, names: Iterable<string | null>): Promise<void> {
    for (const name of new Set(names))
      if (name !== null && !registry.has('Agent', name))
        await deps.recordShadow(
          `telemetry:${name}`,
          'telemetry',
          `telemetry from ${sender.type} "${sender.id}" names agent "${name}"`,
        );
  }

  /** OTLP traces read into spans: each booked as `attributor` says (an agent key: always to its agent). */
  async function ingestMappedTraces(sender: Sender, mapped: MappedExport, opts: { dryRun?: boolean } = {}) {
    const refused: Rejected[] = [];
    let rejectedCount = mapped.rejectedCount;
    const registry = await deps.registry();
    const attribute = attributor(sender, registry);
    let earliest = Number.POSITIVE_INFINITY;
    for (const s of mapped.spans) earliest = Math.min(earliest, Date.parse(s.startAt));
    const tooOld = await tooOldCheck(earliest, deps.evidenceKeptDays);
    const purged = await purgedCheck(earliest, () => deps.purgedUpTo('spans'));
    const spans: Array<{ s: MappedSpan; agent: string; claimed: string | null }> = [];
    for (const s of mapped.spans) {
      const start = Date.parse(s.startAt);
      const old = tooOld(start, 'startTimeUnixNano') ?? purged(start, 'startTimeUnixNano');
      const booked = attribute(s.agentName);
      if (old === null && !('rejected' in booked)) {
        spans.push({ s, ...booked });
        continue;
      }
      rejectedCount++;
      if (refused.length < MAX_REASONS)
        refused.push({
          index: s.index,
          reason: old ?? `${'rejected' in booked ? booked.rejected : ''}: set gen_ai.agent.name on the span or its resource`,
        });
    }
    // The first MAX_REASONS of both lists, in the request's order (each list is in that order).
    const rejected = [...mapped.rejected, ...refused].sort((a, b) => a.index - b.index).slice(0, MAX_REASONS);
    // Spans that say nothing Fulcrum reads are kept, but the exporter is told nothing was counted;
    // so are spans carrying model usage under an operation Fulcrum does not take for a model call.
    const warning =
      mapped.spans.length > 0 && !mapped.spans.some((s) => s.understood)
        ? `none of the ${mapped.spans.length} spans carries an attribute Fulcrum reads (gen_ai.*, llm.* with openinference.span.kind, ai.*): kept, but no model call, tool call or task was counted (docs/evidence.md "What Fulcrum reads")`
        : unknownOperationsWarning(mapped.spans);
    if (opts.dryRun) return { accepted: spans.length, rejected, rejectedCount, warning };
    const prices = createPriceBook(registry);
    const now = new Date().toISOString();
    const by = sentBy(sender);
    const mcpToolOf = (tool: string) => toolForCall(registry, tool)?.tool;
    const unpriced: string[] = [];
    // A part at a time, each made into rows just before it is stored (in one of the store's slices, its
    // events with it): the event loop turns between parts, however large the export.
    for (let i = 0; i === 0 || i < spans.length; i += OTLP_PART_SPANS) {
      const part = spans.slice(i, i + OTLP_PART_SPANS);
      const rows = part.map(({ s, agent, claimed }) => spanRow(s, agent, claimed, by, prices, now, mcpToolOf));
      const events = part
        .filter(({ s }) => s.taskOutcome !== null && s.operation === 'invoke_agent')
        .map(
          ({ s, agent, claimed }): TaskEventTable => ({
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
            registered: agent === UNBOOKED ? 0 : 1,
            attributes: '{}',
            received_at: now,
            claimed_agent: claimed,
            sent_by: by,
          }),
        );
      await store.ingest(events, rows);
      for (const { row } of rows) if (row.unpriced_reason) unpriced.push(row.unpriced_reason);
    }
    deps.observe?.spansIngested(spans.length, rejectedCount, unpriced);
    await shadowsFor(
      registry,
      sender,
      spans.map(({ s }) => s.agentName),
    );
    return { accepted: spans.length, rejected, rejectedCount, warning };
  }

  return {
    /** POST /v1/events: each event on its own; accepted ones are kept, duplicates counted once. */
    async ingestEvents(sender: Sender, body: unknown) {
      const list = (body as { events?: unknown } | null)?.events;
      if (!Array.isArray(list)) throw new InputError('the body must be {"events":[...]}');
      if (list.length > MAX_EVENTS) throw new InputError(`at most ${MAX_EVENTS} events per request`);
      const registry = await deps.registry();
      const attribute = attributor(sender, registry);
      const now = new Date().toISOString();
      const rows: TaskEventTable[] = [];
      const named: Array<string | null> = [];
      const rejected: Array<{ index: number; reason: string }> = [];
      const mapped = list.map((raw) => {
        try {
          return mapEvent(raw);
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      });
      let earliest = Number.POSITIVE_INFINITY;
      let earliestEnd = Number.POSITIVE_INFINITY;
      for (const e of mapped)
        if (!(e instanceof Error)) {
          earliest = Math.min(earliest, Date.parse(e.startedAt ?? e.at));
          earliestEnd = Math.min(earliestEnd, Date.parse(e.at));
        }
      const tooOld = await tooOldCheck(earliest, deps.evidenceKeptDays);
      // By the time retention purges task events by: their end (task_events.ended_at).
      const purged = await purgedCheck(earliestEnd, () => deps.purgedUpTo('events'));
      mapped.forEach((e, index) => {
        try {
          if (e instanceof Error) throw e;
          const old =
            (e.startedAt ? tooOld(Date.parse(e.startedAt), 'startedAt') : tooOld(Date.parse(e.at), 'endedAt')) ??
            purged(Date.parse(e.at), e.at === e.startedAt ? 'startedAt' : 'endedAt');
          if (old) throw new Error(old);
          const booked = attribute(e.agent);
          if ('rejected' in booked) throw new Error(`${booked.rejected}: set "agent"`);
          named.push(e.agent);
          rows.push({
            agent: booked.agent,
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
            registered: booked.agent === UNBOOKED ? 0 : 1,
            attributes: JSON.stringify(e.attributes),
            received_at: now,
            claimed_agent: booked.claimed,
            sent_by: sentBy(sender),
          });
        } catch (err) {
          rejected.push({ index, reason: (err as Error).message });
        }
      });
      const stored = await store.ingest(rows, []);
      await shadowsFor(registry, sender, named);
      return { accepted: rows.length, duplicates: rows.length - stored.events, rejected };
    },

    /** OTLP traces: each span booked as `attributor` says (an agent key: always to its agent). */
    ingestTraces(sender: Sender, body: unknown, opts: { dryRun?: boolean } = {}) {
      return ingestMappedTraces(sender, mapTraceRequest(body), opts);
    },

    /** An OTLP export already read into spans (src/evidence/otlp-body.ts). */
    ingestMappedTraces,

    /** Spend from the rollups, grouped; initiative and business unit come from the registry. */
    async costs(actor: Principal, q: { groupBy: CostGroup; from: string; to: string; limit?: number }) {
      assertCan(actor, 'registry.read');
      const { rows, totalRows } = await queryCosts(deps.db, await deps.registry(), { ...q, limit: q.limit ?? DEFAULT_COST_ROWS });
      // The first `limit` groups only: by model, a window holds as many as its agents reported names
      // (docs/evidence.md, "Model names in the rollups").
      return { from: q.from, to: q.to, groupBy: q.groupBy, rows, totalRows };
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
      // As committed, not as this node's cached view has it: a former owner records nothing once
      // ownership has moved, through whichever node.
      const i = await createRegistryStore(deps.db).get('Initiative', initiative);
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
      return {
        initiative,
        metric: m.metric,
        period: m.period,
        value: m.value,
        provenance: 'self-reported' as const,
        recordedBy: row.recorded_by,
        recordedAt: row.recorded_at,
      };
    },

    /**
     * Every self-reported value of an initiative, newest first, with who recorded it and when: the
     * outcomes keep the latest per period; a corrected value and one of a metric since renamed stay here.
     */
    async measurements(actor: Principal, initiative: string, limit: number) {
      assertCan(actor, 'registry.read');
      if (!(await deps.registry()).get('Initiative', initiative)) throw new NotFoundError(`no Initiative named "${initiative}"`);
      const rows = await deps.db
        .selectFrom('measurements')
        .selectAll()
        .where('initiative', '=', initiative)
        .orderBy('recorded_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        initiative: r.initiative,
        metric: r.metric,
        period: r.period,
        value: r.value,
        provenance: 'self-reported' as const,
        recordedBy: r.recorded_by,
        recordedAt: r.recorded_at,
      }));
    },
  };
}

function spanRow(
  s: MappedSpan,
  agent: string,
  claimed: string | null,
  sentBy: string,
  prices: ReturnType<typeof createPriceBook>,
  now: string,
  /** The registry name of a Tool an McpServer serves, by its registry or MCP name. */
  mcpToolOf: (tool: string) => string | undefined,
): { row: SpanTable; inference: boolean } {
  const mcpTool = s.operation === 'execute_tool' && s.tool !== null ? mcpToolOf(s.tool) : undefined;
  const model = s.model ? prices.resolve(s.model) : null;
  const inference = isInference(s);
  const priced = !inference
    ? null
    : tierAbovePrice(s.serviceTier)
      ? ({ cost: null, unpriced: 'service_tier' } as const)
      : prices.price(model, s.day, {
          input: s.inputTokens,
          output: s.outputTokens,
          cached: s.cachedTokens,
          cacheWrite: s.cacheWriteTokens,
          inputOnly: s.operation === 'embeddings',
        });
  return {
    inference,
    row: {
      trace_id: s.traceId,
      span_id: s.spanId,
      parent_span_id: s.parentSpanId,
      agent,
      registered: agent === UNBOOKED ? 0 : 1,
      name: s.name.slice(0, 500),
      // Any operation is kept (only known ones are counted), cut as the other texts a span names.
      operation: s.operation?.slice(0, 256) ?? null,
      start_at: s.startAt,
      day: s.day,
      duration_ms: s.durationMs,
      model_reported: s.model?.slice(0, 256) ?? null,
      model,
      provider: s.provider?.slice(0, 256) ?? null,
      input_tokens: s.inputTokens,
      output_tokens: s.outputTokens,
      cached_tokens: s.cachedTokens,
      cost_usd: priced?.cost ?? null,
      // A Tool an McpServer serves under its registry name, as the gateway records it (agents may
      // know it by its MCP name, crm_get_order for crm.get_order).
      tool: mcpTool ?? s.tool?.slice(0, 256) ?? null,
      error_type: s.errorType?.slice(0, 256) ?? null,
      task_outcome: s.taskOutcome,
      received_at: now,
      claimed_agent: claimed,
      sent_by: sentBy,
      // Only inferences are matched by response id (llm-gateway: a client's span of a gateway call).
      response_id: inference ? s.responseId : null,
      unpriced_reason: priced?.unpriced ?? null,
      // A tool span for a Tool the MCP gateway serves may be the same call as the gateway's own record.
      source: 'otlp',
      mcp_call: mcpTool !== undefined ? 'client' : null,
      duplicate: 0,
    },
  };
}

/**
 * The warning for spans that carry model usage under an operation Fulcrum does not know (not one of
 * the GenAI conventions' nor a known instrumentation's): they are no model call, and are not counted.
 */
function unknownOperationsWarning(spans: ReadonlyArray<MappedSpan>): string | null {
  const ops = new Map<string, number>();
  for (const s of spans) {
    const op = unknownUsageOperation(s);
    if (op !== undefined) ops.set(op, (ops.get(op) ?? 0) + 1);
  }
  if (ops.size === 0) return null;
  const n = [...ops.values()].reduce((a, b) => a + b, 0);
  const names = [...ops.keys()]
    .slice(0, 5)
    .map((op) => JSON.stringify(op.slice(0, 64)))
    .join(', ');
  return `${n} span${n === 1 ? '' : 's'} carr${n === 1 ? 'ies' : 'y'} model usage under gen_ai.operation.name ${names}${ops.size > 5 ? ', …' : ''}, which Fulcrum does not take for a model call: kept, but not counted as model calls or priced; a model call's operation is chat, text_completion, generate_content or embeddings (docs/evidence.md "What Fulcrum reads")`;
}
