// Spans a gateway records about its own calls (the MCP gateway's tool calls, the LLM gateway's model
// calls): buffered and written through the evidence store in batches, off the reply path, every
// `flushMs` (at a quiet moment, at most 2 x flushMs) or `maxBatch` spans, one batch at a time. A
// crash loses at most the last 2 x `flushMs` of spans, never a decision (the audit log holds those).
// A failed batch is counted and reported.
import type { Kysely } from 'kysely';
import type { Database, SpanTable } from '../db/schema.js';
import { whenQuiet } from '../http/quiet.js';
import { createEvidenceStore } from './evidence-store.js';

export interface SpanBufferOptions {
  flushMs: number;
  maxBatch: number;
  /** Model calls (priced, counted as inference in the rollups), or not (tool calls). */
  inference: boolean;
  onError: (err: unknown) => void;
}

export type SpanBuffer = ReturnType<typeof createSpanBuffer>;

export function createSpanBuffer(db: Kysely<Database>, opts: SpanBufferOptions) {
  const store = createEvidenceStore(db);
  let pending: SpanTable[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let failures = 0;

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return flushing;
    const batch = pending;
    pending = [];
    flushing = flushing
      .then(() =>
        store.ingest(
          [],
          batch.map((row) => ({ row, inference: opts.inference })),
        ),
      )
      .then(
        () => {},
        (err) => {
          failures++;
          opts.onError(err);
        },
      );
    return flushing;
  }

  return {
    add(row: SpanTable): void {
      pending.push(row);
      if (pending.length >= opts.maxBatch) void flush();
      // Due after flushMs; then written at the next moment no request is in flight, at most flushMs
      // later (src/http/quiet.ts): its commit would hold a call waiting for its upstream.
      else timer ??= setTimeout(() => whenQuiet(() => void flush(), opts.flushMs), opts.flushMs);
    },
    /** Writes what is buffered; resolves when it is committed. */
    flush,
    /** Batches that failed to be written since start (each also reported to onError). */
    failures: () => failures,
  };
}
