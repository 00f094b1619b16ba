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

/** Every (agent, model) with unpriced model calls since `from` (YYYY-MM-DD), most calls first. */
export async function unpricedModelCalls(db: Kysely<Database>, from: string): Promise<UnpricedModelCalls[]> {
  const rows = await db
    .selectFrom('evidence_daily')
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
    .where('day', '>=', from)
    .where('unpriced_calls', '>', 0)
    .where('agent', '!=', UNBOOKED)
    .groupBy(['agent', 'model'])
    .execute();
  return rows
    .map((r) => ({
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
    }))
    .sort((a, b) => b.calls - a.calls || a.agent.localeCompare(b.agent) || a.model.localeCompare(b.model));
}
