// bench/ingest: OTLP protobuf trace ingest in batches of 512 spans, against the same endpoint with
// ?dryRun=true (decode and map only, nothing stored), same server, same load generator, same run.
// Prints spans/s, the ratio, and the server's RSS; not a test.
//
//   npm run build && node bench/ingest/run.mjs [--batches 400] [--connections 8] [--against DIR]
//
// Targets (issue 4): >= 20,000 spans/s sustained on this 2-core machine with the load generator on
// it, server RSS <= 300 MB (issue 18 aims for 40,000). `--against DIR` first runs the same load
// against another checkout's build (a copy of the tree before a change, built with
// `npx tsc -p tsconfig.build.json`), each on its own fresh server, so both see one machine.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { encodeTraceRequest } from '../../dist/evidence/otlp-proto.js';
import { startFulcrum } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '400' },
    connections: { type: 'string', default: '8' },
    against: { type: 'string' },
  },
});
const BATCH = 512;
const batches = Number(values.batches);
const connections = Number(values.connections);

// A realistic agent trace shape: one invoke_agent span, then inference and tool spans.
const attr = (key, v) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } });
function batch() {
  const spans = [];
  const now = BigInt(Date.now()) * 1_000_000n;
  for (let i = 0; i < BATCH; i++) {
    const kind = i % 8 === 0 ? 'invoke_agent' : i % 8 < 5 ? 'chat' : 'execute_tool';
    const attributes = [
      attr('gen_ai.operation.name', kind),
      attr('gen_ai.agent.name', i % 3 ? 'support-bot-eu' : 'support-bot-us'),
    ];
    if (kind === 'chat')
      attributes.push(
        attr('gen_ai.request.model', 'gpt-4.1'),
        attr('gen_ai.usage.input_tokens', 1200 + i),
        attr('gen_ai.usage.output_tokens', 300),
      );
    if (kind === 'execute_tool') attributes.push(attr('gen_ai.tool.name', 'crm.lookup_customer'));
    if (kind === 'invoke_agent') attributes.push(attr('fulcrum.task.outcome', i % 16 ? 'resolved' : 'escalated'));
    spans.push({
      traceId: randomBytes(16),
      spanId: randomBytes(8),
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
const bodies = Array.from({ length: batches }, batch);
console.log(`${batches} distinct batches of ${BATCH} spans (${(bodies[0].length / 1024).toFixed(0)} KiB each)`);

/** One server of the build at `root`: decode-only then stored, the same bodies. */
async function measure(label, root) {
  const fulcrum = await startFulcrum('ingest', root ? { root } : {});
  const { url, api } = fulcrum;
  const { key } = await api('POST', '/v1/agents/support-bot-eu/keys', {});
  const run = (query) => {
    let i = 0;
    return autocannon({
      url: `${url}/otlp/v1/traces${query}`,
      method: 'POST',
      connections,
      amount: batches,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-protobuf' },
      requests: [{ setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
    });
  };
  const decodeOnly = await run('?dryRun=true');
  const stored = await run('');
  const spansPerSec = (r) => (r.requests.total * BATCH) / (r.duration || 1);
  const errors = (r) => r.errors + r.non2xx;
  const ingested = spansPerSec(stored);
  const decode = spansPerSec(decodeOnly);
  const mb = await fulcrum.rssMb();
  const counted = await api('GET', '/v1/costs?groupBy=agent');
  console.log(`[${label}]`);
  console.log(
    `decode only (dryRun)   ${decode.toFixed(0)} spans/s  p99 ${decodeOnly.latency.p99} ms  errors ${errors(decodeOnly)}`,
  );
  console.log(`ingest (stored)        ${ingested.toFixed(0)} spans/s  p99 ${stored.latency.p99} ms  errors ${errors(stored)}`);
  console.log(`ratio ingest/decode    ${(ingested / decode).toFixed(2)}`);
  console.log(
    `target >= 20,000 spans/s: ${ingested >= 20_000 ? 'MET' : 'NOT MET'}; server RSS ${mb.toFixed(0)} MB (target <= 300): ${mb <= 300 ? 'MET' : 'NOT MET'}`,
  );
  console.log(`rolled-up inference calls: ${counted.rows.reduce((n, r) => n + r.calls, 0)} (expected ${batches * BATCH * 0.5})`);
  fulcrum.stop();
  return ingested;
}

const before = values.against ? await measure(`against ${values.against}`, values.against) : undefined;
const now = await measure('this build');
if (before) console.log(`stored spans/s, this build / against: ${(now / before).toFixed(2)}`);
