// Shadow agents: identities seen acting without a valid registration (unknown or revoked keys, and
// agents named in telemetry or MCP that the registry does not know). What unauthenticated callers
// cause is bounded before it reaches the database: sightings are counted in memory and written in
// one batch a second; unknown keys fold into one row per client address and key type; each source
// keeps at most MAX_ROWS_PER_SOURCE rows, past which new identities fold into "<source>:other".
// A batch the database refuses one identity's data of (a NUL in text) is written again one identity
// at a time, as the audit writer does: that identity alone is lost, not everyone seen that second.
import type { Kysely } from 'kysely';
import { adapterOf } from '../db/adapter.js';
import { retryOnConflict } from '../db/conflict.js';
import type { Database } from '../db/schema.js';
import { InputError } from '../errors.js';
import { isDataException } from './audit.js';

export type ShadowSource = 'unknown-key' | 'revoked-key' | 'mcp' | 'telemetry';

export interface ShadowAgent {
  identity: string;
  source: ShadowSource;
  detail: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/** Rows one source may hold; past it, new identities are counted together. */
export const MAX_ROWS_PER_SOURCE = 1000;
/** Identities one batch may hold in memory before it is written. */
const MAX_PENDING = 1000;

interface Sighting {
  source: ShadowSource;
  detail: string;
  count: number;
  first: string;
  last: string;
}

export type ShadowStore = ReturnType<typeof createShadowStore>;

export function createShadowStore(db: Kysely<Database>, opts: { flushMs: number; onError(err: unknown): void }) {
  let pending = new Map<string, Sighting>();
  /** The chain of batch writes; it never rejects (a failed batch is counted and reported in it). */
  let writing: Promise<void> = Promise.resolve();
  let failedBatches = 0;
  const timer = setInterval(() => void flush(), opts.flushMs);
  timer.unref();

  async function write(batch: Map<string, Sighting>): Promise<void> {
    if (batch.size === 0) return;
    try {
      await writeTogether(batch);
      return;
    } catch (err) {
      if (batch.size === 1 || !isDataException(err)) throw err;
    }
    // The batch is one transaction, undone whole: each identity again on its own.
    let lost = 0;
    let first: unknown;
    for (const [identity, s] of batch)
      try {
        await writeTogether(new Map([[identity, s]]));
      } catch (err) {
        lost++;
        first ??= err;
      }
    if (lost > 0) throw new Error(`${lost} of a batch of ${batch.size} shadow identities not written`, { cause: first });
  }

  // Tried again when PostgreSQL ends it as a conflict (a deadlock with a retention purge, or a
  // serialisation failure): the transaction reads what it needs inside it, and a batch lost that way
  // is every sighting of the node's second.
  async function writeTogether(batch: Map<string, Sighting>): Promise<void> {
    await retryOnConflict(() => writeOnce(batch));
  }

  async function writeOnce(batch: Map<string, Sighting>): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const sources = [...new Set([...batch.values()].map((s) => s.source))];
      // The cap is counted from the rows read here: two nodes that both read a source's rows before
      // either committed each filled the room they saw, and the source passed its cap by up to 999 rows
      // a node (found by review). Each source's lock, taken first, makes the next node's read wait for
      // this batch's rows (PostgreSQL; SQLite has one writer at a time already).
      await adapterOf(trx).lockKeys(
        trx,
        sources.map((source) => `fulcrum.shadow-agents:${source}`),
      );
      const rows = await trx.selectFrom('shadow_agents').select(['identity', 'source']).where('source', 'in', sources).execute();
      const known = new Set(rows.map((r) => r.identity));
      const perSource = new Map<string, number>();
      for (const r of rows) perSource.set(r.source, (perSource.get(r.source) ?? 0) + 1);
      // Fold identities a full source has no room for into its "other" row.
      const folded = new Map<string, Sighting>();
      for (const [identity, s] of batch) {
        let key = identity;
        if (!known.has(identity)) {
          const n = perSource.get(s.source) ?? 0;
          if (n >= MAX_ROWS_PER_SOURCE - 1) key = `${s.source}:other`;
          else perSource.set(s.source, n + 1);
        }
        const into = folded.get(key);
        if (into) {
          into.count += s.count;
          if (s.last > into.last) into.last = s.last; // ISO times compare as strings
          into.detail = key === identity ? s.detail : `identities past the ${MAX_ROWS_PER_SOURCE}-row cap, e.g. ${identity}`;
        } else
          folded.set(
            key,
            key === identity
              ? { ...s }
              : { ...s, detail: `identities past the ${MAX_ROWS_PER_SOURCE}-row cap, e.g. ${identity}` },
          );
      }
      // In one order on every node (by identity): two nodes that saw the same identities in another
      // order locked their rows in another order, and PostgreSQL ended one batch as a deadlock, losing
      // every sighting in it (found by review, on two nodes behind one load balancer).
      for (const [identity, s] of [...folded].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
        await trx
          .insertInto('shadow_agents')
          .values({ identity, source: s.source, detail: s.detail, first_seen: s.first, last_seen: s.last, count: s.count })
          .onConflict((oc) =>
            // The earliest and latest sighting of any node, whichever writes last: a node whose batch
            // ended earlier (or whose clock runs behind) moved last_seen back, and first_seen stayed at
            // whichever node inserted the row, not the first sighting.
            oc.column('identity').doUpdateSet((eb) => {
              const later = eb('shadow_agents.last_seen', '<', s.last);
              return {
                first_seen: eb
                  .case()
                  .when('shadow_agents.first_seen', '>', s.first)
                  .then(s.first)
                  .else(eb.ref('shadow_agents.first_seen'))
                  .end(),
                last_seen: eb.case().when(later).then(s.last).else(eb.ref('shadow_agents.last_seen')).end(),
                count: eb('shadow_agents.count', '+', s.count),
                detail: eb.case().when(later).then(s.detail).else(eb.ref('shadow_agents.detail')).end(),
              };
            }),
          )
          .execute();
    });
  }

  /**
   * Writes what was seen so far, one batch after another. A failed batch is counted and reported
   * once, here, and not retried; the next one still runs. The promise returned is this batch's, so a
   * reader that flushes first (list) hears of the failure too.
   */
  function flush(): Promise<void> {
    const batch = pending;
    pending = new Map();
    const written = writing.then(() => write(batch));
    writing = written.catch((err: unknown) => {
      failedBatches++;
      opts.onError(err);
    });
    return written;
  }

  return {
    /** Counts one sighting; written within a flush interval (or at once when the batch is full). */
    record(identity: string, source: ShadowSource, detail: string, now = new Date().toISOString()): void {
      const seen = pending.get(identity);
      if (seen) {
        seen.count++;
        seen.last = now;
        seen.detail = detail;
        return;
      }
      pending.set(identity, { source, detail, count: 1, first: now, last: now });
      if (pending.size >= MAX_PENDING) void flush(); // a failure is reported by flush itself
    },

    flush,

    /** Batches that failed to be written since start (each also reported through onError). */
    failedBatches: () => failedBatches,

    /** Newest first, a page at a time: `after` is the previous page's `nextCursor`. */
    async list(page: { limit: number; after?: string }): Promise<{ items: ShadowAgent[]; nextCursor?: string }> {
      await flush();
      let q = db
        .selectFrom('shadow_agents')
        .selectAll()
        .orderBy('last_seen', 'desc')
        .orderBy('identity')
        .limit(page.limit + 1);
      const cursor = page.after ? decodeCursor(page.after) : undefined;
      if (cursor)
        q = q.where((eb) =>
          eb.or([
            eb('last_seen', '<', cursor.lastSeen),
            eb.and([eb('last_seen', '=', cursor.lastSeen), eb('identity', '>', cursor.identity)]),
          ]),
        );
      const rows = await q.execute();
      const items = rows.slice(0, page.limit).map((r) => ({
        identity: r.identity,
        source: r.source as ShadowSource,
        detail: r.detail,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        count: Number(r.count),
      }));
      const last = items[items.length - 1];
      return rows.length > page.limit && last ? { items, nextCursor: encodeCursor(last.lastSeen, last.identity) } : { items };
    },

    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}

function encodeCursor(lastSeen: string, identity: string): string {
  return Buffer.from(JSON.stringify([lastSeen, identity])).toString('base64url');
}

function decodeCursor(cursor: string): { lastSeen: string; identity: string } {
  try {
    const [lastSeen, identity] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof lastSeen === 'string' && typeof identity === 'string') return { lastSeen, identity };
  } catch {
    // a cursor Fulcrum did not write: said below
  }
  throw new InputError(`"after" is not a cursor this endpoint returned: ${cursor.slice(0, 40)}`);
}
