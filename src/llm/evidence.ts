// Evidence of gateway calls: each forwarded call becomes an inference span of the calling agent,
// priced by the same price book as OTLP spans and written through the same store, so costs, rollups
// and outcomes see it as they see telemetry. The span carries the provider's response id: a client's
// own OpenTelemetry span of the same call (gen_ai.response.id) is then the same inference and is not
// counted again (evidence-store.ts: the client's span is stored as its duplicate). A call that carries
// W3C trace context (`traceparent`) is recorded in the caller's trace, as a child of the client's span
// (trace-context.ts). Written in small batches off the reply path.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { createSpanBuffer, type SpanBufferOptions } from '../evidence/span-buffer.js';
import type { CallTrace } from '../evidence/trace-context.js';
import type { Usage } from './apis.js';

export interface InferenceRecord {
  agent: string;
  /** Its trace, span id and parent: the caller's trace when it sent a valid `traceparent`, else one derived from the decision. */
  trace: Pick<CallTrace, 'traceId' | 'spanId' | 'parentSpanId'>;
  operation: 'chat' | 'embeddings';
  model: string;
  /** The id the provider answered with (or the one it was called with). */
  modelReported: string;
  provider: string;
  startedAt: number;
  durationMs: number;
  /** null: a usage Fulcrum cannot store (a count past MAX_TOKENS), recorded as unknown. */
  usage: Usage | null;
  costUsd: number | null;
  unpricedReason: string | null;
  responseId: string | null;
  errorType: string | null;
}

export type InferenceEvidenceOptions = Omit<SpanBufferOptions, 'inference'>;

export function createInferenceEvidence(db: Kysely<Database>, opts: InferenceEvidenceOptions) {
  const buffer = createSpanBuffer(db, { ...opts, inference: true });

  return {
    record(c: InferenceRecord): void {
      const start = new Date(c.startedAt).toISOString();
      buffer.add({
        trace_id: c.trace.traceId,
        span_id: c.trace.spanId,
        parent_span_id: c.trace.parentSpanId,
        agent: c.agent,
        registered: 1,
        name: `${c.operation} ${c.model}`.slice(0, 500),
        operation: c.operation,
        start_at: start,
        day: start.slice(0, 10),
        duration_ms: c.durationMs,
        model_reported: c.modelReported,
        model: c.model,
        provider: c.provider,
        input_tokens: c.usage?.input ?? null,
        output_tokens: c.usage?.output ?? null,
        cached_tokens: c.usage?.cached ?? null,
        cost_usd: c.costUsd,
        tool: null,
        error_type: c.errorType,
        task_outcome: null,
        received_at: new Date().toISOString(),
        // The gateway authenticated the agent's key: its own call, never a claim about another agent.
        claimed_agent: null,
        sent_by: `agent:${c.agent}`,
        response_id: c.responseId,
        unpriced_reason: c.unpricedReason,
        source: 'llm',
      });
    },
    /** Writes what is buffered; resolves when it is committed. */
    flush: buffer.flush,
    failures: buffer.failures,
  };
}
