// GET /v1/costs: spend from the daily rollups, grouped by agent, initiative, model or business unit,
// most first. The grouping, the order and the cut to `limit` happen in SQL, so a window of thousands
// of agents and model names is not read whole to answer its first page.
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { adapterOf } from '../db/adapter.js';
import type { Database, EvidenceDailyTable } from '../db/schema.js';
import type { RegistrySnapshot } from '../registry/model.js';

export type CostGroup = 'agent' | 'initiative' | 'model' | 'business-unit';
export interface CostRow {
  key: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** Model calls, priced or not. */
  calls: number;
  /** Model calls without a cost (not in costUsd), by reason; calls rolled up before 2026-12 may have none. */
  unpricedCalls: number;
  unpriced: { unknownModel: number; noPrice: number; noUsage: number; serviceTier: number };
}
export interface CostQuery {
  groupBy: CostGroup;
  from: string;
  to: string;
  limit: number;
}

/** The cost row, grouped by model, of model calls that named no model and of self-reported cost. */
const NO_MODEL = '(no model)';
/** The group, by initiative or business unit, of agents the registry does not place in one. */
const UNREGISTERED = '(unregistered)';

/** The rollups' columns a cost row sums. */
const SUMMED = [
  'cost_measured_usd',
  'cost_reported_usd',
  'input_tokens',
  'output_tokens',
  'model_calls',
  'unpriced_calls',
  'unpriced_unknown_model',
  'unpriced_no_price',
  'unpriced_no_usage',
  'unpriced_service_tier',
] as const;
type Keyed = { key: string } & Pick<EvidenceDailyTable, (typeof SUMMED)[number]>;

/** Below this a cost rounded to the micro-dollar keeps fewer than three digits: it is rounded to the pico-dollar. */
const SMALL = 0.0005;

/**
 * A cost as answered: to the micro-dollar, but under SMALL to the pico-dollar (four significant digits
 * and more from a thousandth of a micro-dollar), so no cost reads as zero (src/money.ts): two input
 * tokens of gpt-4o-mini, $0.0000003, were answered 0. Below the pico-dollar is floating-point noise
 * (calls counted and taken back leave 1e-17), answered 0. The query orders by this amount.
 */
const amount = (v: number): number => (Math.abs(v) < SMALL ? Math.round(v * 1e12) / 1e12 : Math.round(v * 1e6) / 1e6) || 0;

/** The first `limit` groups of the window, most spend first, and how many groups there are. */
export async function queryCosts(
  db: Kysely<Database>,
  registry: RegistrySnapshot,
  q: CostQuery,
): Promise<{ rows: CostRow[]; totalRows: number }> {
  const adapter = adapterOf(db);
  // Each rollup row with the key of its group (by initiative and business unit, each agent's sums).
  const window = db.selectFrom('evidence_daily').where('day', '>=', q.from).where('day', '<=', q.to);
  let keyed: SelectQueryBuilder<Database, 'evidence_daily', Keyed>;
  if (q.groupBy === 'agent') keyed = window.select([sql<string>`evidence_daily.agent`.as('key'), ...SUMMED]);
  else if (q.groupBy === 'model') {
    const key = sql<string>`case when evidence_daily.model = '' then ${sql.lit(NO_MODEL)} else evidence_daily.model end`;
    // Grouped by model, the rows with none (tasks, tool spans) count only for what they add to the
    // totals: model calls that named no model and self-reported cost, under "(no model)". Left out,
    // they were spend and unpriced calls this grouping alone did not show.
    keyed = window
      .where((eb) =>
        eb.or([
          eb('model', '!=', ''),
          eb('cost_measured_usd', '!=', 0),
          eb('cost_reported_usd', '!=', 0),
          eb('model_calls', '!=', 0),
          eb('input_tokens', '!=', 0),
          eb('output_tokens', '!=', 0),
        ]),
      )
      .select([key.as('key'), ...SUMMED]);
  } else {
    // The key comes from this node's registry snapshot, as one JSON object (agent → key) joined as a
    // table. It is joined to each agent's sums, not to each rollup row: SQLite then indexes the map for
    // the join (an automatic index), where joined to the rows of a narrow window it walked the whole
    // map for each of them (5,000 agents over 20 days: 30 s on the one connection).
    const keys: Record<string, string> = {};
    for (const a of registry.list('Agent')) {
      const initiative = a.spec.initiative;
      const k =
        q.groupBy === 'initiative'
          ? initiative
          : initiative
            ? registry.get('Initiative', initiative)?.spec.businessUnit
            : initiative;
      if (k !== undefined) keys[a.name] = k;
    }
    const perAgent = window.groupBy('agent').select((eb) => ['agent', ...SUMMED.map((c) => eb.fn.sum<number>(c).as(c))]);
    // Named after the table it sums: its rows are the ones the other groupings select.
    keyed = db
      .selectFrom(perAgent.as('evidence_daily'))
      .leftJoin(adapter.objectEntries(JSON.stringify(keys)).as('keys'), (join) =>
        join.onRef('keys.key', '=', 'evidence_daily.agent'),
      )
      .select([sql<string>`coalesce(keys.value, ${sql.lit(UNREGISTERED)})`.as('key'), ...SUMMED]);
  }
  const cost = sql<number>`sum(r.cost_measured_usd + r.cost_reported_usd)`;
  const found = await db
    .selectFrom(keyed.as('r'))
    .select((eb) => [
      'r.key',
      cost.as('cost'),
      eb.fn.sum<number>('r.input_tokens').as('input'),
      eb.fn.sum<number>('r.output_tokens').as('output'),
      eb.fn.sum<number>('r.model_calls').as('calls'),
      eb.fn.sum<number>('r.unpriced_calls').as('unpriced'),
      eb.fn.sum<number>('r.unpriced_unknown_model').as('unknownModel'),
      eb.fn.sum<number>('r.unpriced_no_price').as('noPrice'),
      eb.fn.sum<number>('r.unpriced_no_usage').as('noUsage'),
      eb.fn.sum<number>('r.unpriced_service_tier').as('serviceTier'),
      // How many groups there are, counted before the cut.
      sql<number>`count(*) over ()`.as('groups'),
    ])
    .groupBy('r.key')
    // Most spend first, as it is answered (in micro-dollars: whole ones, or under SMALL to the
    // pico-dollar), then most calls, then the key.
    .orderBy(
      sql`case when abs(${cost}) < ${sql.lit(SMALL)} then floor(${cost} * 1e12 + 0.5) / 1e6 else floor(${cost} * 1e6 + 0.5) end`,
      'desc',
    )
    .orderBy(sql`sum(r.model_calls)`, 'desc')
    .orderBy(adapter.codePointOrder(sql<string>`r.key`))
    .limit(q.limit)
    .execute();
  return {
    rows: found.map((r) => ({
      key: r.key,
      costUsd: amount(Number(r.cost ?? 0)),
      inputTokens: Number(r.input ?? 0),
      outputTokens: Number(r.output ?? 0),
      calls: Number(r.calls ?? 0),
      // Calls without a cost are counted, with why, never summed as $0 (docs/evidence.md).
      unpricedCalls: Number(r.unpriced ?? 0),
      unpriced: {
        unknownModel: Number(r.unknownModel ?? 0),
        noPrice: Number(r.noPrice ?? 0),
        noUsage: Number(r.noUsage ?? 0),
        serviceTier: Number(r.serviceTier ?? 0),
      },
    })),
    totalRows: Number(found[0]?.groups ?? 0),
  };
}
