// Spans of one task, as the evidence store is given them: a model call and the task's outcome, in one
// trace. For the rollup tests that drive the store directly (model names, folds, corrections).
import type { SpanTable } from '../../src/db/schema.js';

export interface TaskCall {
  /** The name reported; `registered`: a registry Model's (the span's `model`), else unknown. */
  model: string;
  registered?: boolean;
  costUsd?: number | null;
  /** The provider's response id (an LLM gateway call and a client's span of it share one). */
  responseId?: string;
  /** 'llm': the LLM gateway's record of the call, in a trace of its own, with no task outcome. */
  source?: 'otlp' | 'llm';
}

/** The spans of a task whose one model call is `call`, in trace `n` of `agent`, on `day`. */
export function taskSpans(call: TaskCall, n: number, agent: string, day: string): Array<{ row: SpanTable; inference: boolean }> {
  const base = {
    trace_id: n.toString(16).padStart(32, '0'),
    parent_span_id: null,
    agent,
    registered: 1,
    start_at: `${day}T00:00:01.000Z`,
    day,
    duration_ms: 10,
    provider: null,
    cached_tokens: null,
    tool: null,
    error_type: null,
    received_at: new Date().toISOString(),
    claimed_agent: null,
    sent_by: `agent:${agent}`,
    source: call.source ?? 'otlp',
  };
  const cost = call.costUsd ?? null;
  const chat = {
    row: {
      ...base,
      span_id: '0000000000000001',
      name: 'chat',
      operation: 'chat',
      model_reported: call.model,
      model: call.registered ? call.model : null,
      input_tokens: 10,
      output_tokens: 1,
      cost_usd: cost,
      unpriced_reason: cost === null ? (call.registered ? 'no_price' : 'unknown_model') : null,
      response_id: call.responseId ?? null,
      task_outcome: null,
    },
    inference: true,
  };
  if (call.source === 'llm') return [chat];
  const outcome = {
    row: {
      ...base,
      span_id: '0000000000000002',
      name: 'invoke_agent',
      operation: 'invoke_agent',
      model_reported: null,
      model: null,
      input_tokens: null,
      output_tokens: null,
      cost_usd: null,
      unpriced_reason: null,
      response_id: null,
      task_outcome: 'resolved' as const,
    },
    inference: false,
  };
  return [chat, outcome];
}
