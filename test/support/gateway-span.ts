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

/**
 * An MCP tool call of `agent` (Tool `lookup`) as one side records it: `client` (the agent's own
 * instrumentation) or `gateway` (the MCP gateway's record), trace and span ids made of `id` repeated.
 */
export function toolCallSpan(
  kind: 'client' | 'gateway',
  agent: string,
  id: string,
  start: string,
  overrides: Partial<SpanTable> = {},
): SpanTable {
  return gatewaySpan(agent, {
    trace_id: id.repeat(32),
    span_id: id.repeat(16),
    start_at: start,
    day: start.slice(0, 10),
    duration_ms: 1_000,
    name: 'tools/call lookup',
    operation: 'execute_tool',
    model: null,
    model_reported: null,
    cost_usd: null,
    tool: 'lookup',
    source: kind === 'gateway' ? 'mcp' : null,
    mcp_call: kind,
    ...overrides,
  });
}

/** Spans as an export hands them to the evidence store (none an inference), each a copy. */
export const sentSpans = (rows: SpanTable[]) => rows.map((row) => ({ row: { ...row }, inference: false }));
