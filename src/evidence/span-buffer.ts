// Spans a gateway records about its own calls (the MCP gateway's tool calls, the LLM gateway's model
// calls): buffered and written through the evidence store in batches, off the reply path, every
// `flushMs` (at a quiet moment, at most 2 x flushMs) or `maxBatch` spans, one batch at a time. A
// crash loses at most the last 2 x `flushMs` of spans, never a decision (the audit log holds those).
// A batch the database refuses is written again one record at a time, so that one record it cannot
// store (a count past its column) loses only itself, not every agent's records batched with it; the
// records lost are counted and the batch's failure reported once. What it holds is bounded
// (`maxHeld`): while the database does not take the batches (a hung connection), new spans past the
// bound are dropped and counted, never held without end nor waited for by the call that records them.
import type { Kysely } from 'kysely';
import { type BackgroundCommit, NotDurableError } from '../db/adapter.js';
import type { Database, SpanTable } from '../db/schema.js';
import { whenQuiet } from '../http/quiet.js';
import { createEvidenceStore } from './evidence-store.js';

export interface SpanBufferOptions {
  flushMs: number;
  maxBatch: number;
  /** Model calls (priced, counted as inference in the rollups), or not (tool calls). */
  inference: boolean;
  /** The most spans held, buffered or in batches not yet written; past it new spans are dropped. */
  maxHeld: number;
  /** Each span dropped for want of room. */
  onDrop: () => void;
  /** A failed batch, and (once a minute at most) spans dropped for want of room. */
  onError: (err: unknown) => void;
  /** How a batch's transaction is committed (src/db/adapter.ts's backgroundCommit); on `db` by default. */
  commit?: BackgroundCommit;
}

/** How often at most the spans dropped for want of room are reported. */
const DROP_REPORT_MS = 60_000;

export type SpanBuffer = ReturnType<typeof createSpanBuffer>;

export function createSpanBuffer(db: Kysely<Database>, opts: SpanBufferOptions) {
  const store = createEvidenceStore(db, opts.commit);
  let pending: SpanTable[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let failures = 0;
  // Spans buffered or in batches queued or being written: what a database that hangs makes grow.
  let held = 0;
  let dropped = 0;
  let reportedAt = Number.NEGATIVE_INFINITY;

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return flushing;
    const batch = pending;
    pending = [];
    flushing = flushing.then(async () => {
      await write(batch);
      held -= batch.length;
    });
    return flushing;
  }

  /** Writes one batch; never throws. */
  async function write(batch: SpanTable[]): Promise<void> {
    const ingest = (rows: SpanTable[]) =>
      store.ingest(
        [],
        rows.map((row) => ({ row, inference: opts.inference })),
      );
    try {
      await ingest(batch);
      return;
    } catch (err) {
      // Committed, its sync failed (the node writes nothing more until restarted): stored, not lost.
      if (err instanceof NotDurableError) {
        opts.onError(new Error(`a batch of ${batch.length} spans is stored but may not survive a power loss`, { cause: err }));
        return;
      }
      if (batch.length === 1) {
        failures++;
        opts.onError(err);
        return;
      }
    }
    // The batch is one transaction, undone whole: each record again on its own (ingest is idempotent).
    let lost = 0;
    let first: unknown;
    for (const row of batch)
      try {
        await ingest([row]);
      } catch (err) {
        lost++;
        first ??= err;
      }
    if (lost === 0) return;
    failures += lost;
    opts.onError(new Error(`${lost} of a batch of ${batch.length} spans not written`, { cause: first }));
  }

  return {
    add(row: SpanTable): void {
      if (held >= opts.maxHeld) {
        dropped++;
        opts.onDrop();
        if (Date.now() - reportedAt >= DROP_REPORT_MS) {
          reportedAt = Date.now();
          opts.onError(
            new Error(`${dropped} spans dropped since start: ${held} held (the most), the database is not taking them`),
          );
        }
        return;
      }
      held++;
      pending.push(row);
      if (pending.length >= opts.maxBatch) void flush();
      // Due after flushMs; then written at the next moment no request is in flight, at most flushMs
      // later (src/http/quiet.ts): its commit would hold a call waiting for its upstream.
      else timer ??= setTimeout(() => whenQuiet(() => void flush(), opts.flushMs), opts.flushMs);
    },
    /** Writes what is buffered; resolves when it is committed. */
    flush,
    /** Spans that could not be written since start (each failed batch also reported to onError). */
    failures: () => failures,
    /** Spans dropped since start because `maxHeld` were held. */
    dropped: () => dropped,
  };
}
