// Model calls Fulcrum could not price, per agent and model, with the reason (docs/evidence.md
// "Unpriced model calls"): a signal, so that a spend figure missing calls never reads as complete.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { UNBOOKED } from './attribution.js';

export interface UnpricedModelCalls {
  agent: string;
  /** The registry Model, or the id the telemetry reported when it is none. */
  model: string;
  /** Model calls without a cost; `reasons` says why (calls rolled up before 2026-12 may have no reason). */
  calls: number;
  reasons: { unknownModel: number; noPrice: number; noUsage: number; serviceTier: number };
  lastDay: string;
}

/** Most (agent, model) pairs listed; `total` says how many there are. */
export const MAX_UNPRICED_ROWS = 100;

/**
 * The (agent, model) pairs with unpriced model calls since `from` (YYYY-MM-DD), most calls first: the
 * first MAX_UNPRICED_ROWS, and how many there are (a window holds as many model names as its agents
 * reported, docs/evidence.md "Model names in the rollups").
 */
export async function unpricedModelCalls(
  db: Kysely<Database>,
  from: string,
): Promise<{ calls: UnpricedModelCalls[]; total: number }> {
  const grouped = db
    .selectFrom('evidence_daily')
    .where('day', '>=', from)
    .where('unpriced_calls', '>', 0)
    .where('agent', '!=', UNBOOKED)
    .groupBy(['agent', 'model']);
  const rows = await grouped
    .select((eb) => [
      'agent',
      'model',
      eb.fn.sum<number>('unpriced_calls').as('calls'),
      eb.fn.sum<number>('unpriced_unknown_model').as('unknownModel'),
      eb.fn.sum<number>('unpriced_no_price').as('noPrice'),
      eb.fn.sum<number>('unpriced_no_usage').as('noUsage'),
      eb.fn.sum<number>('unpriced_service_tier').as('serviceTier'),
      eb.fn.max('day').as('lastDay'),
    ])
    .orderBy((eb) => eb.fn.sum('unpriced_calls'), 'desc')
    .orderBy('agent')
    .orderBy('model')
    .limit(MAX_UNPRICED_ROWS)
    .execute();
  const counted = await db
    .selectFrom(grouped.select(['agent', 'model']).as('pairs'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const calls = rows.map((r) => ({
    agent: r.agent,
    model: r.model,
    calls: Number(r.calls),
    reasons: {
      unknownModel: Number(r.unknownModel),
      noPrice: Number(r.noPrice),
      noUsage: Number(r.noUsage),
      serviceTier: Number(r.serviceTier),
    },
    lastDay: r.lastDay,
  }));
  return { calls, total: Number(counted?.n ?? 0) };
}
