// bench/ingest/bodies.mjs: how long one OTLP export holds Fulcrum's event loop (every decision of the
// node waits that long). Sends exports of 512 to ~36,000 agent-shaped spans (protobuf, up to the
// 8 MiB body limit), one at a time, stored and dry-run, and reads the longest event-loop delay around
// each from the server's own /metrics (fulcrum_nodejs_eventloop_lag_max_seconds, reset at every
// scrape). Not a test.
//
//   npm run build && node bench/ingest/bodies.mjs [--root DIR]
//
// --root: serve another checkout's build (a copy of the tree before a change), for before/after.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { encodeTraceRequest } from '../../dist/evidence/otlp-proto.js';
import { startFulcrum } from '../lib.mjs';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const attr = (key, v) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } });
/** `n` spans in traces of 8: an invoke_agent root with an outcome, four model calls, three tool calls. */
function exportOf(n) {
  const spans = [];
  const now = BigInt(Date.now()) * 1_000_000n;
  let traceId;
  let rootId;
  for (let i = 0; i < n; i++) {
    const root = i % 8 === 0;
    if (root) {
      traceId = randomBytes(16);
      rootId = randomBytes(8);
    }
    const kind = root ? 'invoke_agent' : i % 8 < 5 ? 'chat' : 'execute_tool';
    const attributes = [attr('gen_ai.operation.name', kind), attr('gen_ai.agent.name', 'support-bot-eu')];
    if (kind === 'chat')
      attributes.push(
        attr('gen_ai.request.model', 'gpt-4.1'),
        attr('gen_ai.usage.input_tokens', 1200 + i),
        attr('gen_ai.usage.output_tokens', 300),
      );
    if (kind === 'execute_tool') attributes.push(attr('gen_ai.tool.name', 'crm.lookup_customer'));
    if (kind === 'invoke_agent') attributes.push(attr('fulcrum.task.outcome', 'resolved'));
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

const fulcrum = await startFulcrum('ingest-bodies', values.root ? { root: path.resolve(values.root) } : {});
const { key } = await fulcrum.api('POST', '/v1/agents/support-bot-eu/keys', {});
const lagMaxMs = async () =>
  Number(/^fulcrum_nodejs_eventloop_lag_max_seconds (\S+)/m.exec(await (await fetch(`${fulcrum.url}/metrics`)).text())?.[1]) *
  1000;
for (const n of [512, 4096, 16384, 36000]) {
  const body = exportOf(n);
  for (const dry of [true, false]) {
    await lagMaxMs(); // resets the server's histogram
    const started = performance.now();
    const res = await fetch(`${fulcrum.url}/otlp/v1/traces${dry ? '?dryRun=true' : ''}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-protobuf' },
      body,
    });
    await res.arrayBuffer();
    const took = performance.now() - started;
    const lag = await lagMaxMs();
    console.log(
      `${String(n).padStart(6)} spans ${(body.length / 2 ** 20).toFixed(2).padStart(5)} MiB ${dry ? 'decoded only' : 'stored      '}  ` +
        `${res.status}  ${took.toFixed(0).padStart(5)} ms  event loop held at most ${lag.toFixed(0)} ms`,
    );
  }
}
fulcrum.stop();
