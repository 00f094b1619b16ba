// bench/insight: the scale-or-fail diagnostic (and the board report) over a large evidence base —
// 1M guard decisions and 1M OTLP spans, loaded through the API — against the same requests on the
// registry alone, in one run. Prints times and ratios; not a test.
//
//   npm run build && node bench/insight/run.mjs [--decisions 1000000] [--spans 1000000]
//
// Targets: GET /v1/diagnostic (issue 6) and GET /v1/plan (issue 20) answer in under 1 s over 1M
// decisions and 1M spans (the plan's model mix groups the window's spans by trace in SQL).
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startFulcrum } from '../lib.mjs';

const { values } = parseArgs({
  options: { decisions: { type: 'string', default: '1000000' }, spans: { type: 'string', default: '1000000' } },
});
const DECISIONS = Number(values.decisions);
const SPANS = Number(values.spans);
const DAY = 86_400_000;
const fulcrum = await startFulcrum('insight');
const { url, api } = fulcrum;

/** Median and worst of `n` timed GETs after two warm-ups. */
async function time(path, n = 15) {
  const token = 'fat_bench-admin';
  const once = async () => {
    const t0 = performance.now();
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return performance.now() - t0;
  };
  await once();
  await once();
  const ms = [];
  for (let i = 0; i < n; i++) ms.push(await once());
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(n / 2)], max: ms[n - 1] };
}

const paths = ['/v1/diagnostic', '/v1/plan', '/v1/report?format=json', '/v1/report?format=pdf'];
const before = {};
for (const p of paths) before[p] = await time(p);

// 1M decisions, through the guard with its durable audit log, from one agent's key.
const agents = ['support-bot-eu', 'support-bot-us', 'agent-assist', 'it-helpdesk-bot', 'recon-bot-ie01', 'invoice-matcher'];
const keys = {};
for (const a of agents) keys[a] = (await api('POST', `/v1/agents/${a}/keys`, {})).key;
let t0 = performance.now();
const d = await autocannon({
  url: `${url}/v1/decisions`,
  method: 'POST',
  connections: 32,
  amount: DECISIONS,
  headers: { authorization: `Bearer ${keys['support-bot-eu']}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    action: 'tool.call',
    tool: 'crm.lookup_customer',
    arguments: { customerId: 'C-1' },
    dataDomains: ['customer-profiles'],
  }),
});
console.log(`loaded ${d['2xx']} decisions in ${((performance.now() - t0) / 1000).toFixed(0)} s (errors ${d.errors + d.non2xx})`);

// 1M spans over the last 90 days: tasks (invoke_agent) and priced model calls, 2,000 per export.
t0 = performance.now();
const now = Date.now();
let sent = 0;
let seq = 0;
const hex = (n, width) => n.toString(16).padStart(width, '0');
const attr = (key, v) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });
async function exportBatch(agent, size) {
  const spans = [];
  for (let i = 0; i < size; i += 2) {
    const n = seq++;
    const start = now - (n % 90) * DAY - 3_600_000 - (n % 3_000) * 1000;
    const trace = hex(n, 32);
    spans.push({
      traceId: trace,
      spanId: hex(n * 2 + 1, 16),
      name: 'invoke_agent',
      kind: 1,
      startTimeUnixNano: `${start}000000`,
      endTimeUnixNano: `${start + 240_000}000000`,
      attributes: [
        attr('gen_ai.operation.name', 'invoke_agent'),
        attr('gen_ai.agent.name', agent),
        attr('fulcrum.task.outcome', n % 5 === 0 ? 'escalated' : 'resolved'),
      ],
    });
    spans.push({
      traceId: trace,
      spanId: hex(n * 2 + 2, 16),
      name: 'chat',
      kind: 3,
      startTimeUnixNano: `${start + 1000}000000`,
      endTimeUnixNano: `${start + 3000}000000`,
      attributes: [
        attr('gen_ai.operation.name', 'chat'),
        attr('gen_ai.agent.name', agent),
        attr('gen_ai.request.model', 'gpt-4o-mini'),
        attr('gen_ai.usage.input_tokens', 1200),
        attr('gen_ai.usage.output_tokens', 300),
      ],
    });
  }
  const res = await fetch(`${url}/otlp/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys[agent]}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }],
    }),
  });
  if (!res.ok) throw new Error(`OTLP export: ${res.status} ${await res.text()}`);
  sent += spans.length;
}
let batch = 0;
while (sent < SPANS)
  await Promise.all([0, 1].map(() => exportBatch(agents[batch++ % agents.length], Math.min(2000, SPANS - sent))));
console.log(`loaded ${sent} spans in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

console.log(`\n${'request'.padEnd(28)}${'registry only'.padStart(16)}${`with evidence`.padStart(16)}${'ratio'.padStart(8)}`);
const after = {};
for (const p of paths) {
  after[p] = await time(p);
  const ratio = after[p].median / before[p].median;
  console.log(
    `${p.padEnd(28)}${`${before[p].median.toFixed(1)} ms`.padStart(16)}${`${after[p].median.toFixed(1)} ms`.padStart(16)}${ratio.toFixed(2).padStart(8)}   (slowest of 15: ${after[p].max.toFixed(1)} ms)`,
  );
}
const diag = after['/v1/diagnostic'];
console.log(
  `\ndiagnostic over ${DECISIONS} decisions and ${SPANS} spans: median ${diag.median.toFixed(1)} ms, slowest ${diag.max.toFixed(1)} ms (target < 1000 ms) ${diag.max < 1000 ? 'MET' : 'NOT MET'}`,
);
const planTime = after['/v1/plan'];
console.log(
  `plan over ${DECISIONS} decisions and ${SPANS} spans: median ${planTime.median.toFixed(1)} ms, slowest ${planTime.max.toFixed(1)} ms (target < 1000 ms) ${planTime.max < 1000 ? 'MET' : 'NOT MET'}`,
);
console.log(`server RSS ${(await fulcrum.rssMb()).toFixed(0)} MB`);
fulcrum.stop();
