// bench/ingest: OTLP protobuf trace ingest in batches of 512 spans, against the same endpoint with
// ?dryRun=true (decode and map only, nothing stored), same server, same load generator, same run.
// Prints spans/s, the ratio, and the server's RSS; not a test.
//
//   npm run build && node bench/ingest/run.mjs [--batches 400] [--connections 8]
//
// Targets (issue 4): >= 20,000 spans/s sustained on this 2-core machine with the load generator on
// it, server RSS <= 300 MB.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { encodeTraceRequest } from '../../dist/evidence/otlp-proto.js';

const { values } = parseArgs({
  options: { batches: { type: 'string', default: '400' }, connections: { type: 'string', default: '8' } },
});
const BATCH = 512;
const batches = Number(values.batches);
const connections = Number(values.connections);
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-bench-ingest-'));
const admin = 'fat_bench-admin';

const server = spawn(
  process.execPath,
  [
    ...(process.env.FULCRUM_BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FULCRUM_BENCH_PROF}`] : []),
    path.join(root, 'bin/fulcrum'),
    'serve',
  ],
  {
    env: { ...process.env, FULCRUM_DATA_DIR: dataDir, FULCRUM_PORT: '0', FULCRUM_ADMIN_TOKEN: admin, FULCRUM_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
const url = await new Promise((resolve, reject) => {
  let err = '';
  server.stderr.on('data', (d) => {
    err += d;
    const m = /Fulcrum listening on (\S+)/.exec(err);
    if (m) resolve(m[1]);
  });
  server.on('exit', (c) => reject(new Error(`server exited ${c}: ${err}`)));
});
const api = async (method, p, body) =>
  (
    await fetch(url + p, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    })
  ).json();
const files = fs
  .readdirSync(path.join(root, 'examples/acme'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ path: f, content: fs.readFileSync(path.join(root, 'examples/acme', f), 'utf8') }));
await api('POST', '/v1/apply', { files });
const { key } = await api('POST', '/v1/agents/support-bot-eu/keys', {});

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
const rss = async () =>
  Number(/fulcrum_process_resident_memory_bytes (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1]) / 2 ** 20;

const decodeOnly = await run('?dryRun=true');
const stored = await run('');
const spansPerSec = (r) => (r.requests.total * BATCH) / (r.duration || 1);
const errors = (r) => r.errors + r.non2xx;
const ingested = spansPerSec(stored);
const decode = spansPerSec(decodeOnly);
const mb = await rss();
const counted = await api('GET', '/v1/costs?groupBy=agent');
console.log(
  `decode only (dryRun)   ${decode.toFixed(0)} spans/s  p99 ${decodeOnly.latency.p99} ms  errors ${errors(decodeOnly)}`,
);
console.log(`ingest (stored)        ${ingested.toFixed(0)} spans/s  p99 ${stored.latency.p99} ms  errors ${errors(stored)}`);
console.log(`ratio ingest/decode    ${(ingested / decode).toFixed(2)}`);
console.log(
  `target >= 20,000 spans/s: ${ingested >= 20_000 ? 'MET' : 'NOT MET'}; server RSS ${mb.toFixed(0)} MB (target <= 300): ${mb <= 300 ? 'MET' : 'NOT MET'}`,
);
console.log(`rolled-up inference calls: ${counted.rows.reduce((n, r) => n + r.calls, 0)} (expected ${batches * BATCH * 0.5})`);
server.kill('SIGTERM');
fs.rmSync(dataDir, { recursive: true, force: true });
