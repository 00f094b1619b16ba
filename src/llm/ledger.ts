// The spend ledger, where the database is the arbiter for every node. Calls are admitted in one
// transaction per batch that, for each call's agent's rate window and then each applicable limit
// (always in that order, limits by name, so no two transactions wait on each other in a cycle), runs a conditional
//   UPDATE … SET reserved = reserved + :cost WHERE … AND spent + reserved + :cost <= :limit
// and records what it reserved. PostgreSQL re-evaluates that WHERE on the row's latest version once
// a concurrent writer commits (READ COMMITTED row locks), SQLite runs one writer at a time: either
// way no two calls can both take the last of a limit. Settling moves the reservation to spent, with
// the actual cost, in batches (one transaction for every call that ended meanwhile).
import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import { adapterOf } from '../db/adapter.js';
import { bulkInserter } from '../db/bulk-insert.js';
import type { Database } from '../db/schema.js';
import { type ApplicableLimit, periodOf } from './limits.js';

export interface RateLimits {
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
}

export interface ReserveRequest {
  id: string;
  agent: string;
  limits: ApplicableLimit[];
  costMicro: number;
  /** Worst-case tokens of the call, counted against tokensPerMinute. */
  tokens: number;
  rate?: RateLimits | undefined;
  now: Date;
  expiresAt: Date;
  /** The registry revision the call was planned at (its limits, price, rate limits): reserved only if
   *  it is still the committed one, else answered `stale` (the caller plans again). */
  revision?: number;
}

export type ReserveResult =
  | { ok: true; minute: string | null; alerts: ApplicableLimit[] }
  /** A blocking limit cannot take the call now. `settledOnly`: even if every call in flight released all it holds. */
  | { ok: false; reason: 'limit'; limit: ApplicableLimit; spentMicro: number; reservedMicro: number; settledOnly: boolean }
  | { ok: false; reason: 'rate'; what: 'requests' | 'tokens'; limit: number; retryAfterSeconds: number }
  /** The registry moved past the revision the call was planned at; nothing reserved. */
  | { ok: false; reason: 'stale'; revision: number };

export interface Settlement {
  id: string;
  agent: string;
  limits: ApplicableLimit[];
  costMicro: number;
  /** The minute window the call counted in, and how many tokens more (negative: fewer) than it reserved it used. */
  minute: string | null;
  tokenDelta: number;
  at: Date;
}

const BIG = Number.MAX_SAFE_INTEGER;

export function minuteOf(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/**
 * Admits a batch of calls in one transaction (one commit for all: under load, as many calls as
 * arrived meanwhile), each everything or nothing: a call refused by its second limit gives back
 * what its first took, inside the same transaction, before the next call is tried. No other
 * transaction sees the difference (SQLite has one writer; PostgreSQL holds the rows' locks).
 */
export async function reserveBatch(db: Kysely<Database>, batch: ReserveRequest[]): Promise<ReserveResult[]> {
  return db.transaction().execute((trx) => reserveIn(trx, batch));
}

/** reserveBatch inside a transaction the caller holds (the guard's audit commit: one fsync for both). */
export async function reserveIn(trx: Transaction<Database>, batch: ReserveRequest[]): Promise<ReserveResult[]> {
  if (batch.length > 1 && adapterOf(trx).rowLocks) await lockInOrder(trx, batch);
  // Read in the transaction (on PostgreSQL, as committed when read), as the guard reads it at a
  // decision's commit.
  const revision = batch.some((r) => r.revision !== undefined) ? await committedRevision(trx) : undefined;
  const results: ReserveResult[] = [];
  for (const r of batch)
    results.push(
      r.revision !== undefined && r.revision !== revision
        ? { ok: false, reason: 'stale', revision: revision as number }
        : await reserveOne(trx, r),
    );
  const rows = batch.flatMap((r, i) =>
    results[i]?.ok
      ? r.limits.map((l) => ({
          id: r.id,
          limit_name: l.name,
          period_start: l.periodStart,
          amount_micro: r.costMicro,
          agent: r.agent,
          expires_at: r.expiresAt.toISOString(),
        }))
      : [],
  );
  if (rows.length > 0) await insertReservations(trx, rows);
  return results;
}

/**
 * PostgreSQL: the rows a batch of admissions will update, locked first in the order settleBatch
 * takes them (every rate window by agent and minute, then every limit by name and period). Call by
 * call, a batch would take one agent's window, a shared limit, then another agent's window, while a
 * settlement holding that window waits for the limit: a deadlock the database ends by failing one.
 * A window is created if missing (as takeRate would); a limit's row missing here is its period's first
 * call, which creates it later.
 */
async function lockInOrder(trx: Transaction<Database>, batch: ReserveRequest[]): Promise<void> {
  const windows = new Map<string, { agent: string; minute: string }>();
  const limits = new Map<string, { name: string; periodStart: string }>();
  for (const r of batch) {
    if (r.rate && (r.rate.requestsPerMinute || r.rate.tokensPerMinute)) {
      const minute = minuteOf(r.now);
      windows.set(`${r.agent}\u0000${minute}`, { agent: r.agent, minute });
    }
    for (const l of r.limits) limits.set(`${l.name}\u0000${l.periodStart}`, { name: l.name, periodStart: l.periodStart });
  }
  for (const w of [...windows.values()].sort(byWindow))
    await trx
      .insertInto('llm_rate_windows')
      .values({ agent: w.agent, minute: w.minute, requests: 0, tokens: 0 })
      .onConflict((oc) =>
        oc.columns(['agent', 'minute']).doUpdateSet((eb) => ({ requests: eb.ref('llm_rate_windows.requests') })),
      )
      .execute();
  for (const l of [...limits.values()].sort((a, b) => cmp(a.name, b.name) || cmp(a.periodStart, b.periodStart)))
    await trx
      .selectFrom('spend_limit_usage')
      .select('limit_name')
      .where('limit_name', '=', l.name)
      .where('period_start', '=', l.periodStart)
      .forUpdate()
      .execute();
}

// The statements of every admission, written once: building each with Kysely's query builder cost
// about twice what running it did (~17 µs a statement, on the LLM gateway's path before forwarding).
// `?` placeholders, numbered for PostgreSQL.
const RESERVE_SQL = {
  block:
    'update "spend_limit_usage" set "reserved_micro" = "reserved_micro" + ?, "calls" = "calls" + 1 ' +
    'where "limit_name" = ? and "period_start" = ? and "spent_micro" + "reserved_micro" + ? <= ? ' +
    'returning "spent_micro", "reserved_micro"',
  alert:
    'update "spend_limit_usage" set "reserved_micro" = "reserved_micro" + ?, "calls" = "calls" + 1 ' +
    'where "limit_name" = ? and "period_start" = ? returning "spent_micro", "reserved_micro"',
};
const numbered = (text: string) => {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
};
const RESERVE_SQL_PG = { block: numbered(RESERVE_SQL.block), alert: numbered(RESERVE_SQL.alert) };
/** The calls' reservations (the bulk inserter compiles its SQL per engine, with the transaction it runs on). */
const insertReservations = bulkInserter('llm_reservations', [
  'id',
  'limit_name',
  'period_start',
  'amount_micro',
  'agent',
  'expires_at',
]);

async function reserveOne(trx: Transaction<Database>, r: ReserveRequest): Promise<ReserveResult> {
  let minute: string | null = null;
  if (r.rate && (r.rate.requestsPerMinute || r.rate.tokensPerMinute)) {
    minute = minuteOf(r.now);
    const refused = await takeRate(trx, r, minute, r.rate);
    if (refused) return refused;
  }
  const alerts: ApplicableLimit[] = [];
  const taken: ApplicableLimit[] = [];
  for (const l of r.limits) {
    const block = l.spec.enforce !== 'alert';
    const row = await addReserved(trx, l, r.costMicro, block);
    if (!row) {
      const now = await usageRow(trx, l);
      await giveBack(trx, r, minute, taken);
      return {
        ok: false,
        reason: 'limit',
        limit: l,
        spentMicro: now.spent,
        reservedMicro: now.reserved,
        settledOnly: now.spent + r.costMicro > l.amountMicro,
      };
    }
    taken.push(l);
    if (!block && row.spent + row.reserved > l.amountMicro) alerts.push(l);
  }
  return { ok: true, minute, alerts };
}

/** Undoes what a refused call took before the limit that refused it. */
async function giveBack(trx: Transaction<Database>, r: ReserveRequest, minute: string | null, taken: ApplicableLimit[]) {
  if (minute)
    await trx
      .updateTable('llm_rate_windows')
      .set((eb) => ({ requests: eb('requests', '-', 1), tokens: eb('tokens', '-', r.tokens) }))
      .where('agent', '=', r.agent)
      .where('minute', '=', minute)
      .execute();
  for (const l of taken)
    await trx
      .updateTable('spend_limit_usage')
      .set((eb) => ({ reserved_micro: eb('reserved_micro', '-', r.costMicro), calls: eb('calls', '-', 1) }))
      .where('limit_name', '=', l.name)
      .where('period_start', '=', l.periodStart)
      .execute();
}

/** Counts the call in its agent's minute, or says which rate it is over. */
async function takeRate(
  trx: Transaction<Database>,
  r: ReserveRequest,
  minute: string,
  rate: RateLimits,
): Promise<Exclude<ReserveResult, { ok: true }> | undefined> {
  const rpm = rate.requestsPerMinute ?? BIG;
  const tpm = rate.tokensPerMinute ?? BIG;
  const update = () =>
    trx
      .updateTable('llm_rate_windows')
      .set((eb) => ({ requests: eb('requests', '+', 1), tokens: eb('tokens', '+', r.tokens) }))
      .where('agent', '=', r.agent)
      .where('minute', '=', minute)
      .where((eb) => eb.and([eb(eb('requests', '+', 1), '<=', rpm), eb(eb('tokens', '+', r.tokens), '<=', tpm)]))
      .executeTakeFirst();
  let n = Number((await update()).numUpdatedRows);
  if (n === 0) {
    const row = await trx
      .selectFrom('llm_rate_windows')
      .select(['requests', 'tokens'])
      .where('agent', '=', r.agent)
      .where('minute', '=', minute)
      .executeTakeFirst();
    if (!row) {
      await trx
        .insertInto('llm_rate_windows')
        .values({ agent: r.agent, minute, requests: 0, tokens: 0 })
        .onConflict((oc) => oc.columns(['agent', 'minute']).doNothing())
        .execute();
      n = Number((await update()).numUpdatedRows);
    }
  }
  if (n > 0) return undefined;
  const row = await trx
    .selectFrom('llm_rate_windows')
    .select(['requests', 'tokens'])
    .where('agent', '=', r.agent)
    .where('minute', '=', minute)
    .executeTakeFirstOrThrow();
  const requests = Number(row.requests) + 1 > rpm;
  const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(`${minute}:00.000Z`) + 60_000 - r.now.getTime()) / 1000));
  return { ok: false, reason: 'rate', what: requests ? 'requests' : 'tokens', limit: requests ? rpm : tpm, retryAfterSeconds };
}

/** Adds the reservation to the limit's row (conditionally when it blocks); the row after, or undefined if refused. */
async function addReserved(
  trx: Transaction<Database>,
  l: ApplicableLimit,
  cost: number,
  block: boolean,
): Promise<{ spent: number; reserved: number } | undefined> {
  const text = adapterOf(trx).engine === 'postgres' ? RESERVE_SQL_PG : RESERVE_SQL;
  const query = block
    ? CompiledQuery.raw(text.block, [cost, l.name, l.periodStart, cost, l.amountMicro])
    : CompiledQuery.raw(text.alert, [cost, l.name, l.periodStart]);
  const update = async () => {
    const row = (await trx.executeQuery<{ spent_micro: number | string; reserved_micro: number | string }>(query)).rows[0];
    return row ? { spent: Number(row.spent_micro), reserved: Number(row.reserved_micro) } : undefined;
  };
  const row = await update();
  if (row) return row;
  const exists = await trx
    .selectFrom('spend_limit_usage')
    .select('limit_name')
    .where('limit_name', '=', l.name)
    .where('period_start', '=', l.periodStart)
    .executeTakeFirst();
  if (exists) return undefined;
  // The period's first call: its row is created once (by whichever node gets there first).
  await trx
    .insertInto('spend_limit_usage')
    .values({ limit_name: l.name, period_start: l.periodStart, spent_micro: 0, reserved_micro: 0, calls: 0, alerted_at: null })
    .onConflict((oc) => oc.columns(['limit_name', 'period_start']).doNothing())
    .execute();
  return update();
}

async function usageRow(db: Kysely<Database>, l: Pick<ApplicableLimit, 'name' | 'periodStart'>) {
  const row = await db
    .selectFrom('spend_limit_usage')
    .select(['spent_micro', 'reserved_micro', 'calls', 'alerted_at'])
    .where('limit_name', '=', l.name)
    .where('period_start', '=', l.periodStart)
    .executeTakeFirst();
  return {
    spent: Number(row?.spent_micro ?? 0),
    reserved: Number(row?.reserved_micro ?? 0),
    calls: Number(row?.calls ?? 0),
    alertedAt: row?.alerted_at ?? null,
  };
}

export interface LimitState {
  limit: string;
  periodStart: string;
  spentMicro: number;
  reservedMicro: number;
}

/**
 * Settles a batch in one transaction: each call's reservation rows are deleted (RETURNING says which
 * still existed: one the expiry sweep already released is not released twice), what they held leaves
 * `reserved`, the actual cost joins `spent` and the hour's burn-down, and the rate window's tokens are
 * corrected. Returns each limit's row after, so waiting calls learn what is free now.
 */
export async function settleBatch(db: Kysely<Database>, batch: Settlement[]): Promise<LimitState[]> {
  return db.transaction().execute(async (trx) => {
    const ids = batch.filter((s) => s.limits.length > 0).map((s) => s.id);
    if (ids.length > 1 && adapterOf(trx).rowLocks) await lockReservations(trx, { ids });
    const held = new Map<string, number>();
    for (let i = 0; i < ids.length; i += 500) {
      const released = await trx
        .deleteFrom('llm_reservations')
        .where('id', 'in', ids.slice(i, i + 500))
        .returning(['limit_name', 'period_start', 'amount_micro'])
        .execute();
      for (const r of released) {
        const key = `${r.limit_name}\u0000${r.period_start}`;
        held.set(key, (held.get(key) ?? 0) + Number(r.amount_micro));
      }
    }
    // Rate windows first, then limits: the order reserveBatch takes them in.
    const windows = new Map<string, { agent: string; minute: string; delta: number }>();
    for (const s of batch) {
      if (!s.minute || s.tokenDelta === 0) continue;
      const key = `${s.agent}\u0000${s.minute}`;
      const w = windows.get(key) ?? { agent: s.agent, minute: s.minute, delta: 0 };
      w.delta += s.tokenDelta;
      windows.set(key, w);
    }
    for (const w of [...windows.values()].sort(byWindow))
      await trx
        .updateTable('llm_rate_windows')
        .set((eb) => ({ tokens: eb('tokens', '+', w.delta) }))
        .where('agent', '=', w.agent)
        .where('minute', '=', w.minute)
        .execute();
    const spent = new Map<string, { limit: string; periodStart: string; micro: number }>();
    const hours = new Map<string, { limit: string; hour: string; micro: number }>();
    for (const s of batch)
      for (const l of s.limits) {
        const key = `${l.name}\u0000${l.periodStart}`;
        const e = spent.get(key) ?? { limit: l.name, periodStart: l.periodStart, micro: 0 };
        e.micro += s.costMicro;
        spent.set(key, e);
        // In the hour it ended, or the period's last hour for a call admitted in a period that ended
        // meanwhile: its spend counts in that period, so its burn-down does too.
        const end = Date.parse(periodOf(l.spec.period, new Date(`${l.periodStart}T00:00:00.000Z`)).to);
        const hour = new Date(Math.min(s.at.getTime(), end - 1)).toISOString().slice(0, 13);
        const h = hours.get(`${l.name}\u0000${hour}`) ?? { limit: l.name, hour, micro: 0 };
        h.micro += s.costMicro;
        hours.set(`${l.name}\u0000${hour}`, h);
      }
    const after: LimitState[] = [];
    for (const [key, e] of [...spent.entries()].sort(([a], [b]) => cmp(a, b))) {
      const release = held.get(key) ?? 0;
      const row = await trx
        .updateTable('spend_limit_usage')
        .set((eb) => ({
          reserved_micro: eb('reserved_micro', '-', release),
          spent_micro: eb('spent_micro', '+', e.micro),
        }))
        .where('limit_name', '=', e.limit)
        .where('period_start', '=', e.periodStart)
        .returning(['spent_micro', 'reserved_micro'])
        .executeTakeFirst();
      if (row)
        after.push({
          limit: e.limit,
          periodStart: e.periodStart,
          spentMicro: Number(row.spent_micro),
          reservedMicro: Number(row.reserved_micro),
        });
    }
    const buckets = [...hours.values()].filter((h) => h.micro > 0);
    if (buckets.length > 0)
      await trx
        .insertInto('spend_limit_hours')
        .values(buckets.map((h) => ({ limit_name: h.limit, hour: h.hour, spent_micro: h.micro })))
        .onConflict((oc) =>
          oc
            .columns(['limit_name', 'hour'])
            .doUpdateSet((eb) => ({ spent_micro: eb('spend_limit_hours.spent_micro', '+', eb.ref('excluded.spent_micro')) })),
        )
        .execute();
    return after;
  });
}

/** The database's clock, the one every node's reservations expire by (src/db/clock.ts). */
export { databaseNow } from '../db/clock.js';

/**
 * Releases what calls hold past their expiry (their node stopped before settling them), and drops
 * rate windows older than five minutes. Returns how many reservations were released.
 */
export async function sweepExpired(db: Kysely<Database>, now: Date): Promise<number> {
  const released = await db.transaction().execute(async (trx) => {
    if (adapterOf(trx).rowLocks) await lockReservations(trx, { expiredBefore: now });
    const rows = await trx
      .deleteFrom('llm_reservations')
      .where('expires_at', '<', now.toISOString())
      .returning(['limit_name', 'period_start', 'amount_micro'])
      .execute();
    const held = new Map<string, { limit: string; periodStart: string; micro: number }>();
    for (const r of rows) {
      const key = `${r.limit_name}\u0000${r.period_start}`;
      const e = held.get(key) ?? { limit: r.limit_name, periodStart: r.period_start, micro: 0 };
      e.micro += Number(r.amount_micro);
      held.set(key, e);
    }
    for (const [, e] of [...held.entries()].sort(([a], [b]) => cmp(a, b)))
      await trx
        .updateTable('spend_limit_usage')
        .set((eb) => ({ reserved_micro: eb('reserved_micro', '-', e.micro) }))
        .where('limit_name', '=', e.limit)
        .where('period_start', '=', e.periodStart)
        .execute();
    return rows.length;
  });
  await db
    .deleteFrom('llm_rate_windows')
    .where('minute', '<', minuteOf(new Date(now.getTime() - 5 * 60_000)))
    .execute();
  return released;
}

/** Records the first time an alert limit was passed in its period; true for the one caller that did. */
export async function claimAlert(db: Kysely<Database>, l: ApplicableLimit, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('spend_limit_usage')
    .set({ alerted_at: at.toISOString() })
    .where('limit_name', '=', l.name)
    .where('period_start', '=', l.periodStart)
    .where('alerted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function limitUsage(db: Kysely<Database>, name: string, periodStart: string) {
  return usageRow(db, { name, periodStart });
}

/** Settled spend per hour of a limit since `fromHour` (YYYY-MM-DDTHH), oldest first. */
export async function limitHours(db: Kysely<Database>, name: string, fromHour: string, toHour: string) {
  const rows = await db
    .selectFrom('spend_limit_hours')
    .select(['hour', 'spent_micro'])
    .where('limit_name', '=', name)
    .where('hour', '>=', fromHour)
    .where('hour', '<', toHour)
    .orderBy('hour')
    .execute();
  return rows.map((r) => ({ hour: r.hour, micro: Number(r.spent_micro) }));
}

/**
 * PostgreSQL: the reservation rows a settlement or the expiry sweep will delete, locked first in one
 * order (by id, then limit). A DELETE takes its rows in the order its plan reads them: a settlement's by
 * its ids, the sweep's by expiry (its index), so the two could each hold a row the other reached for
 * next, a deadlock PostgreSQL ends by failing one (a settlement then waits a second to be tried again).
 */
async function lockReservations(trx: Transaction<Database>, rows: { ids: string[] } | { expiredBefore: Date }): Promise<void> {
  // COLLATE "C": byte order, the code-unit order the ids are chunked in below (ASCII ids).
  const q = trx
    .selectFrom('llm_reservations')
    .select('id')
    .orderBy(sql`id collate "C"`)
    .orderBy(sql`limit_name collate "C"`)
    .forUpdate();
  if ('expiredBefore' in rows) {
    await q.where('expires_at', '<', rows.expiredBefore.toISOString()).execute();
    return;
  }
  // Chunks of sorted ids: each chunk's rows, and the chunks one after another, in id order.
  const ids = [...new Set(rows.ids)].sort(cmp);
  for (let i = 0; i < ids.length; i += 500) await q.where('id', 'in', ids.slice(i, i + 500)).execute();
}

/** Rate windows in the one order every transaction locks them in (agent, then minute): none lock in crossing orders. */
function byWindow(a: { agent: string; minute: string }, b: { agent: string; minute: string }): number {
  return cmp(a.agent, b.agent) || cmp(a.minute, b.minute);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function committedRevision(trx: Transaction<Database>): Promise<number> {
  const row = await trx.selectFrom('registry_state').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}
