// A span as a gateway records its own call (src/evidence/span-buffer.ts): by default the LLM gateway's
// record of a priced chat call, started now; `overrides` sets any column.
import type { SpanTable } from '../../src/db/schema.js';
import { randomSpanId, traceIdOf } from '../../src/evidence/ids.js';

export function gatewaySpan(agent: string, overrides: Partial<SpanTable> = {}): SpanTable {
  const start = new Date().toISOString();
  return {
    trace_id: traceIdOf(`dec_${randomSpanId()}`),
    span_id: randomSpanId(),
    parent_span_id: null,
    agent,
    registered: 1,
    name: 'chat gw-chat',
    operation: 'chat',
    start_at: start,
    day: start.slice(0, 10),
    duration_ms: 1,
    model_reported: 'gw-chat',
    model: 'gw-chat',
    provider: 'openai',
    input_tokens: 10,
    output_tokens: 5,
    cached_tokens: 0,
    cost_usd: 0.00001,
    tool: null,
    error_type: null,
    task_outcome: null,
    received_at: start,
    claimed_agent: null,
    sent_by: `agent:${agent}`,
    response_id: null,
    unpriced_reason: null,
    source: 'llm',
    ...overrides,
  };
}
