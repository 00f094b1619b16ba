// Shared by bench/ingest: agent-shaped OTLP exports. Traces of `perTrace` spans: an invoke_agent
// root with a task outcome, then inference and tool spans as its children (with 8: one root, four
// model calls, three tool calls).
import { randomBytes } from 'node:crypto';
import { encodeTraceRequest } from '../../dist/evidence/otlp-proto.js';

const attr = (key, v) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } });

/** One export of `n` spans, protobuf-encoded; `agentOf(i)` names span i's agent. */
export function agentExport(n, { perTrace = 8, agentOf = () => 'support-bot-eu' } = {}) {
  const spans = [];
  const now = BigInt(Date.now()) * 1_000_000n;
  let traceId = randomBytes(16);
  let rootId = randomBytes(8);
  for (let i = 0; i < n; i++) {
    const root = i % perTrace === 0;
    if (root) {
      traceId = randomBytes(16);
      rootId = randomBytes(8);
    }
    const kind = i % 8 === 0 ? 'invoke_agent' : i % 8 < 5 ? 'chat' : 'execute_tool';
    const attributes = [attr('gen_ai.operation.name', kind), attr('gen_ai.agent.name', agentOf(i))];
    if (kind === 'chat')
      attributes.push(
        attr('gen_ai.request.model', 'gpt-4.1'),
        attr('gen_ai.usage.input_tokens', 1200 + i),
        attr('gen_ai.usage.output_tokens', 300),
      );
    if (kind === 'execute_tool') attributes.push(attr('gen_ai.tool.name', 'crm.lookup_customer'));
    if (kind === 'invoke_agent') attributes.push(attr('fulcrum.task.outcome', i % 16 ? 'resolved' : 'escalated'));
    spans.push({
      traceId,
      spanId: root ? rootId : randomBytes(8),
      ...(root ? {} : { parentSpanId: rootId }),
      name: kind,
      kind: 1,
      startTimeUnixNano: String(now - 2_000_000_000n),
      endTimeUnixNano: String(now),
      attributes,
    });
  }
  return Buffer.from(
    encodeTraceRequest({
      resourceSpans: [
        { resource: { attributes: [attr('service.name', 'support')] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] },
      ],
    }),
  );
}
