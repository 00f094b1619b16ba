// Evidence of forwarded MCP calls: each becomes an `execute_tool` span of the calling agent (the
// GenAI conventions Fulcrum already reads), so tool-call counts, errors and durations land in the
// same rollups as telemetry. Spans are written in small batches off the reply path: one
// transaction per call would cost more than the call. Refused calls are not spans: the audit log
// holds them as decisions, and counting them as tool errors would distort error rates.
// A call that carries W3C trace context (`traceparent` in the tools/call `_meta`, as MCP's
// OpenTelemetry conventions carry it) is recorded in the caller's trace, as a child of the client's
// span for it; the evidence store then counts the call once, whichever of the two arrives first.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { randomSpanId, traceIdOf } from '../evidence/ids.js';
import { createSpanBuffer, type SpanBufferOptions } from '../evidence/span-buffer.js';
import { parseTraceparent } from '../evidence/trace-context.js';

export interface CallRecord {
  agent: string;
  tool: string;
  /** The decision that allowed the call; the span's trace id is derived from it (joinable). */
  decisionId: string;
  startedAt: number;
  durationMs: number;
  /** null when the upstream answered without error. */
  errorType: string | null;
  /** The caller's W3C trace context from the tools/call `_meta` (`00-<trace id>-<parent id>-<flags>`); ignored if malformed. */
  traceparent?: string;
}

export type CallEvidenceOptions = Omit<SpanBufferOptions, 'inference'>;

export type CallEvidence = ReturnType<typeof createCallEvidence>;

export function createCallEvidence(db: Kysely<Database>, opts: CallEvidenceOptions) {
  const buffer = createSpanBuffer(db, { ...opts, inference: false });

  return {
    record(c: CallRecord): void {
      const start = new Date(c.startedAt).toISOString();
      const caller = parseTraceparent(c.traceparent);
      buffer.add({
        trace_id: caller?.traceId ?? traceIdOf(c.decisionId),
        span_id: randomSpanId(),
        parent_span_id: caller?.parentId ?? null,
        agent: c.agent,
        registered: 1,
        name: `execute_tool ${c.tool}`,
        operation: 'execute_tool',
        start_at: start,
        day: start.slice(0, 10),
        duration_ms: c.durationMs,
        model_reported: null,
        model: null,
        provider: null,
        input_tokens: null,
        output_tokens: null,
        cached_tokens: null,
        cost_usd: null,
        tool: c.tool,
        error_type: c.errorType,
        task_outcome: null,
        received_at: new Date().toISOString(),
        // The gateway authenticated the agent's key: its own call, never a claim about another agent.
        claimed_agent: null,
        sent_by: `agent:${c.agent}`,
        unpriced_reason: null,
        response_id: null,
        source: 'mcp',
        mcp_call: 'gateway',
        duplicate: 0,
      });
    },
    /** Writes what is buffered; resolves when it is committed. */
    flush: buffer.flush,
  };
}
