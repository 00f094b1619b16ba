// Admission and settlement of gateway calls against spend limits and rate limits (ledger.ts does the
// SQL). A call that a blocking limit cannot take *now*, but could once calls in flight settle (their
// worst case is held, their actual cost is usually less), waits for them instead of being refused:
// so a burst stops at the limit, not a worst-case reservation per call in flight before it. It is
// refused at once when settled spend alone leaves no room, and after `waitMs` otherwise.
// Settlements are written in batches, one transaction for all that ended meanwhile (at most one in
// flight); waiting calls on this node are woken by them, and poll for what other nodes settle.
import type { Kysely } from 'kysely';
import { type BackgroundCommit, NotDurableError } from '../db/adapter.js';
import type { Database } from '../db/schema.js';
import { whenQuiet } from '../http/quiet.js';
import {
  databaseNow,
  type LimitState,
  type ReserveRequest,
  type ReserveResult,
  reserveBatch,
  type Settlement,
  settleBatch,
  sweepExpired,
} from './ledger.js';
import type { ApplicableLimit } from './limits.js';

export interface ReservationOptions {
  /** How long a call may wait for calls in flight to settle before it is refused. */
  waitMs: number;
  /** How often an expired reservation (its node died) is released. */
  sweepMs: number;
  /** How long a settlement waits for others to share its commit. */
  settleDelayMs: number;
  onError(what: string, err: unknown): void;
  /** This host's clock, used until the database's is first read (tests set it off, as a host's can be). */
  clock?: () => number;
  /** How settlements and sweeps commit (src/db/adapter.ts's backgroundCommit); on `db` by default. */
  commit?: BackgroundCommit;
}

interface Waiter {
  limits: ApplicableLimit[];
  costMicro: number;
  wake(): void;
}

export type Reservations = ReturnType<typeof createReservations>;

export function createReservations(db: Kysely<Database>, opts: ReservationOptions) {
  const commit = opts.commit ?? ((fn) => fn(db));
  const waiters = new Set<Waiter>();
  let queue: Settlement[] = [];
  let writing: Promise<void> | undefined;
  let failures = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  /** How long a failed settlement waits before it is tried again (doubled while it keeps failing). */
  let retryMs = 1000;
  let cutPause: (() => void) | undefined;
  let scheduled: Promise<void> | undefined;
  // Admissions, in group commits: the calls that arrive while one batch commits go in the next.
  let asking: Array<{ r: ReserveRequest; resolve(v: ReserveResult): void; reject(e: unknown): void }> = [];
  let admitting = false;
  // Reservations expire, and rate windows turn, by the database's clock: a node whose clock is ahead
  // would otherwise release the calls other nodes still hold (and one behind would hold them too
  // briefly). It is read at start (admissions wait for it) and before every sweep, to within half a
  // round trip, and carried between reads on this process's monotonic clock.
  const clock = opts.clock ?? Date.now;
  // The database's time at a point of this process's monotonic clock (performance.now(), which no
  // NTP step or VM resume moves: a wall-clock offset would carry such a step into every admission
  // until the next read); until it is first read, this host's clock.
  let anchor: { db: number; mono: number } | undefined;
  async function syncClock(): Promise<void> {
    // A connection first: the sample times the query alone, not the wait for a pooled connection.
    await db.connection().execute(async (c) => {
      const before = performance.now();
      const at = (await databaseNow(c)).getTime();
      const after = performance.now();
      if (anchor && after - before > 1000) return; // too slow a round trip to trust: the last one stays
      anchor = { db: at, mono: (before + after) / 2 };
    });
  }
  let synced = false;
  // Tried again until it succeeds (waiting longer each time, up to 5 s): admissions wait for it rather
  // than go by a clock the other nodes do not share.
  const clockRead: Promise<void> = (async () => {
    for (let pause = 250; ; pause = Math.min(pause * 2, 5000)) {
      try {
        await syncClock();
        synced = true;
        return;
      } catch (err) {
        failures++;
        opts.onError("reading the database's clock", err);
        if (closed) return;
        await new Promise((r) => setTimeout(r, pause).unref());
      }
    }
  })();
  const nowMs = () => (anchor ? anchor.db + (performance.now() - anchor.mono) : clock());
  /** The database's time now, as this node best knows it. */
  const now = () => new Date(nowMs());

  async function sweep(): Promise<number> {
    await syncClock();
    const at = now();
    const n = await commit((c) => sweepExpired(c, at));
    if (n > 0) for (const w of waiters) w.wake();
    return n;
  }

  function admitBatch(): void {
    if (admitting || asking.length === 0) return;
    admitting = true;
    const batch = asking;
    asking = [];
    const at = now();
    reserveBatch(
      db,
      batch.map((b) => ({ ...b.r, now: at })),
    ).then(
      (results) => {
        for (const [i, b] of batch.entries()) b.resolve(results[i] as ReserveResult);
        admitting = false;
        admitBatch();
      },
      (err) => {
        for (const b of batch) b.reject(err);
        admitting = false;
        admitBatch();
      },
    );
  }

  function tryReserve(r: Omit<ReserveRequest, 'now'>): Promise<ReserveResult> {
    return new Promise((resolve, reject) => {
      asking.push({ r: { ...r, now: now() }, resolve, reject });
      // One turn of the event loop, so that the calls of this turn share the commit.
      if (asking.length === 1) setImmediate(admitBatch);
    });
  }

  /**
   * After a settlement: wakes, oldest first, the waiting calls that now fit in what it freed (so a
   * settlement wakes a few, not every waiter at once), and those that settled spend now excludes
   * (they refuse). A limit the settlement did not touch is assumed to have room; the retry decides.
   */
  function wakeFor(states: LimitState[]): void {
    if (waiters.size === 0 || states.length === 0) return;
    const key = (limit: string, period: string) => `${limit}\u0000${period}`;
    const after = new Map(states.map((s) => [key(s.limit, s.periodStart), s]));
    const free = new Map<string, number>();
    for (const w of [...waiters]) {
      let touched = false;
      let never = false;
      let fits = true;
      for (const l of w.limits) {
        const s = after.get(key(l.name, l.periodStart));
        if (!s || l.spec.enforce === 'alert') continue;
        touched = true;
        if (s.spentMicro + w.costMicro > l.amountMicro) never = true;
        const room = free.get(key(l.name, l.periodStart)) ?? l.amountMicro - s.spentMicro - s.reservedMicro;
        if (w.costMicro > room) fits = false;
      }
      if (!touched) continue;
      if (never) w.wake();
      else if (fits) {
        for (const l of w.limits) {
          const k = key(l.name, l.periodStart);
          const s = after.get(k);
          if (s) free.set(k, (free.get(k) ?? l.amountMicro - s.spentMicro - s.reservedMicro) - w.costMicro);
        }
        w.wake();
      }
    }
  }

  /** Writes batches until the queue is empty; one runs at a time. */
  async function drain(): Promise<void> {
    try {
      await flush();
    } finally {
      writing = undefined;
    }
    // A settlement queued after the last batch was taken, before `writing` was cleared.
    if (queue.length > 0 && !writing) {
      writing = drain();
      await writing;
    }
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        wakeFor(await commit((c) => settleBatch(c, batch)));
        retryMs = 1000;
      } catch (err) {
        failures++;
        opts.onError(`settling ${batch.length} LLM call(s)`, err);
        // Committed, its sync failed: settled (written again it would be settled twice); the node
        // writes nothing more until it is restarted.
        if (err instanceof NotDurableError) continue;
        // Kept for the next attempt: an unsettled call holds its worst case, which errs on the safe side.
        // Tried again after 1 s, then less often (to a minute) while the database keeps refusing.
        if (!closed) {
          queue = [...batch, ...queue];
          await new Promise<void>((resolve) => {
            const pause = setTimeout(resolve, retryMs).unref();
            // Closing cuts the pause short: one last try, then the node stops.
            cutPause = () => {
              clearTimeout(pause);
              resolve();
            };
          });
          cutPause = undefined;
          retryMs = Math.min(retryMs * 2, 60_000);
        } else return;
      }
    }
  }

  const sweeper = setInterval(() => {
    sweep().catch((err) => {
      failures++;
      opts.onError('releasing expired LLM reservations', err);
    });
  }, opts.sweepMs);
  sweeper.unref();

  return {
    /** The database's time now, as this node best knows it (what reservations expire by). */
    now,
    /** When a reservation made now, held for `ms`, expires (by the database's clock). */
    expiresIn: (ms: number) => new Date(nowMs() + ms),
    /** Resolves once this node has read the database's clock (or failed to, and said so). */
    clockRead: () => (synced ? undefined : clockRead),
    /** Releases the reservations past their expiry now (as the timer does); how many. */
    sweep,

    /** Admits the call, waiting (bounded) for calls in flight when only their reservations stand in the way. */
    async reserve(r: Omit<ReserveRequest, 'now'>, signal?: AbortSignal): Promise<ReserveResult> {
      const started = Date.now();
      const deadline = started + opts.waitMs;
      let pause = 10;
      for (;;) {
        // The call's time starts when it is admitted: its hold lasts as long past that as it was
        // meant to, however long it waited (else a long wait could let it lapse mid-call).
        const waited = Date.now() - started;
        const result = await tryReserve(waited > 0 ? { ...r, expiresAt: new Date(r.expiresAt.getTime() + waited) } : r);
        if (result.ok || result.reason !== 'limit' || result.settledOnly) return result;
        const left = deadline - Date.now();
        if (left <= 0 || signal?.aborted) return result;
        // Woken by a local settlement of one of its limits, or after a pause for other nodes' (jittered,
        // growing to 250 ms so that many waiters do not poll in step).
        await new Promise<void>((resolve) => {
          const w: Waiter = {
            limits: r.limits,
            costMicro: r.costMicro,
            wake: () => {
              clearTimeout(pauseTimer);
              waiters.delete(w);
              signal?.removeEventListener('abort', w.wake);
              resolve();
            },
          };
          const pauseTimer = setTimeout(w.wake, Math.min(left, pause * (0.5 + Math.random())));
          waiters.add(w);
          signal?.addEventListener('abort', w.wake, { once: true });
        });
        pause = Math.min(pause * 2, 250);
      }
    },

    /** Queues a call's settlement; resolves once it is committed (callers need not wait). */
    settle(s: Settlement): Promise<void> {
      queue.push(s);
      if (writing) return writing; // the batch being written takes it next
      // A short wait gathers the settlements of calls ending together into one commit, and keeps
      // one commit per call off the next call's way (a call holds its worst case meanwhile).
      // Then it waits for a moment no request is in flight (src/http/quiet.ts), at most as long again:
      // its commit holds the event loop, and would hold a call waiting for its provider.
      scheduled ??= new Promise<void>((resolve) => {
        const write = () => {
          timer = undefined;
          scheduled = undefined;
          writing ??= drain();
          writing.then(resolve, resolve);
        };
        timer = setTimeout(() => whenQuiet(write, opts.settleDelayMs), opts.settleDelayMs);
      });
      return scheduled;
    },

    /** Settlement and sweep batches that failed since start (each also logged). */
    failures: () => failures,

    async close(): Promise<void> {
      closed = true;
      clearInterval(sweeper);
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        scheduled = undefined;
        writing ??= drain();
      }
      for (const w of waiters) w.wake();
      cutPause?.();
      while (writing) await writing;
    },
  };
}
