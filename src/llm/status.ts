// What the gateway shows of itself: the models an agent may call (GET /models), and spend limits in
// their current period with their burn-down (GET /v1/spend-limits/<name>/status, and every limit a
// page at a time: GET /v1/spend-limit-status).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { priceOn } from '../evidence/cost.js';
import { checkRequest, decide } from '../guard/decide.js';
import type { GuardSnapshot } from '../guard/snapshot.js';
import type { RegistrySnapshot } from '../registry/model.js';
import type { Api } from './apis.js';
import { limitHours, limitUsage } from './ledger.js';
import { fromMicro, limitMicro, periodOf } from './limits.js';

/** The Models served by an endpoint of `api` that the guard would allow `agent` to call now. */
export function allowedModels(s: GuardSnapshot, agent: string, api: Api, day = new Date().toISOString().slice(0, 10)) {
  const out: Array<{ id: string; object: 'model'; created: number; owned_by: string }> = [];
  for (const m of s.registry.list('Model')) {
    const endpoint = m.spec.endpoint ? s.registry.get('ModelEndpoint', m.spec.endpoint) : undefined;
    if (endpoint?.spec.api !== api) continue;
    const req = { action: 'model.call' as const, model: m.name };
    checkRequest(s, req);
    if (decide(s, agent, req).decision !== 'allow') continue;
    // A model with no USD price today is refused (model_unpriced): not one this agent can use.
    if (priceOn(m.spec, day)?.currency !== 'USD') continue;
    out.push({ id: m.name, object: 'model', created: 0, owned_by: m.spec.provider });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** A SpendLimit in the period `at` falls in: spent, held by calls in flight, left; settled spend by hour. */
export async function spendLimitStatus(db: Kysely<Database>, registry: RegistrySnapshot, name: string, at: Date) {
  const l = registry.get('SpendLimit', name);
  if (!l) throw new NotFoundError(`no SpendLimit named "${name}"`);
  const p = periodOf(l.spec.period, at);
  const [usage, hours] = await Promise.all([
    limitUsage(db, name, p.start),
    limitHours(db, name, p.from.slice(0, 13), p.to.slice(0, 13)),
  ]);
  const amount = limitMicro(l.spec.amountUsd);
  let running = 0;
  return {
    name,
    scope: l.spec.scope,
    period: l.spec.period,
    enforce: l.spec.enforce,
    periodStart: p.from,
    periodEnd: p.to,
    limitUsd: l.spec.amountUsd,
    spentUsd: fromMicro(usage.spent),
    reservedUsd: fromMicro(usage.reserved),
    remainingUsd: fromMicro(Math.max(0, amount - usage.spent - usage.reserved)),
    calls: usage.calls,
    alertedAt: usage.alertedAt,
    burnDown: hours.map((h) => {
      running += h.micro;
      return {
        hour: `${h.hour}:00:00.000Z`,
        spentUsd: fromMicro(running),
        remainingUsd: fromMicro(Math.max(0, amount - running)),
      };
    }),
  };
}

/**
 * The SpendLimits named after `after` (by code unit, as the cursor compares), at most `limit`, each
 * as spendLimitStatus tells it at the same `at`; `nextCursor` when more follow. One limit at a time:
 * a page of them in parallel would take every pooled connection the decision path also needs.
 */
export async function spendLimitStatusPage(
  db: Kysely<Database>,
  registry: RegistrySnapshot,
  page: { limit: number; after?: string | undefined },
  at: Date,
) {
  const { after } = page;
  const names = registry
    .list('SpendLimit')
    .map((l) => l.name)
    .filter((n) => after === undefined || n > after)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const items: Array<Awaited<ReturnType<typeof spendLimitStatus>>> = [];
  for (const name of names.slice(0, page.limit)) items.push(await spendLimitStatus(db, registry, name, at));
  return { items, ...(names.length > page.limit ? { nextCursor: items.at(-1)?.name as string } : {}) };
}
