// bench/insight: the scale-or-fail diagnostic, the plan and the board report over a large evidence
// base — 1M guard decisions and 1M OTLP spans, loaded through the API — against the same requests on
// the registry alone. Prints times and ratios; not a test.
//
//   npm run build && node bench/insight/run.mjs [--decisions 1000000] [--spans 1000000] [--rounds 5] [--against DIR]
//
// Targets: GET /v1/diagnostic (issue 6) and GET /v1/plan (issue 20) answer in under 1 s over 1M
// decisions and 1M spans. The machine is shared and its speed drifts, so after loading, the requests
// are timed in `--rounds` rounds (each: every path, 7 GETs after a warm-up, the median kept), and
// with `--against DIR` (another checkout's build, e.g. a copy of the tree before a change, built with
// `npx tsc -p tsconfig.build.json`) both servers hold the same data and each round times them back to
// back: the result is the median round, with the min–max over the rounds.
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { root, startFulcrum } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    decisions: { type: 'string', default: '1000000' },
    spans: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '5' },
    against: { type: 'string' },
  },
});
const DECISIONS = Number(values.decisions);
const SPANS = Number(values.spans);
const ROUNDS = Number(values.rounds);
const DAY = 86_400_000;
const TOKEN = 'fat_bench-admin';
const paths = ['/v1/diagnostic', '/v1/plan', '/v1/report?format=json', '/v1/report?format=pdf'];
const builds = [...(values.against ? [{ name: 'against', root: values.against }] : []), { name: 'this tree', root }];

/** Median and slowest of `n` timed GETs after one warm-up. */
async function time(url, path, n = 7) {
  const once = async () => {
    const t0 = performance.now();
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${TOKEN}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return performance.now() - t0;
  };
  await once();
  const ms = [];
  for (let i = 0; i < n; i++) ms.push(await once());
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(n / 2)], max: ms[n - 1] };
}

const agents = ['support-bot-eu', 'support-bot-us', 'agent-assist', 'it-helpdesk-bot', 'recon-bot-ie01', 'invoice-matcher'];
const hex = (n, width) => n.toString(16).padStart(width, '0');
const attr = (key, v) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });

/** Loads the decisions and the spans into one build's server; the same data for every build. */
async function load(b) {
  const { url, api } = b.fulcrum;
  const keys = {};
  for (const a of agents) keys[a] = (await api('POST', `/v1/agents/${a}/keys`, {})).key;
  // 1M decisions, through the guard with its durable audit log, from one agent's key.
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
  console.log(
    `${b.name}: loaded ${d['2xx']} decisions in ${((performance.now() - t0) / 1000).toFixed(0)} s (errors ${d.errors + d.non2xx})`,
  );

  // 1M spans over the last 90 days: tasks (invoke_agent) and priced model calls, 2,000 per export.
  t0 = performance.now();
  const now = b.now;
  let sent = 0;
  let seq = 0;
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
  const s = (performance.now() - t0) / 1000;
  console.log(`${b.name}: loaded ${sent} spans in ${s.toFixed(0)} s (${Math.round(sent / s).toLocaleString('en-US')} spans/s)`);
}

const now = Date.now();
for (const b of builds) {
  b.fulcrum = await startFulcrum(`insight-${b.name.replace(/\W/g, '')}`, { root: b.root });
  b.now = now;
  b.empty = {};
  for (const p of paths) b.empty[p] = await time(b.fulcrum.url, p);
}
for (const b of builds) await load(b);

for (const b of builds) b.rounds = [];
for (let i = 0; i < ROUNDS; i++)
  for (const b of builds) {
    const r = {};
    for (const p of paths) r[p] = await time(b.fulcrum.url, p);
    b.rounds.push(r);
    console.log(
      `round ${i + 1} ${b.name.padEnd(9)}: ${paths.map((p) => `${p.replace('/v1/', '')} ${r[p].median.toFixed(0)} ms (max ${r[p].max.toFixed(0)})`).join(' | ')}`,
    );
  }

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const b of builds) {
  console.log(
    `\n${b.name} (${b.root}), ${ROUNDS} rounds:\n${'request'.padEnd(28)}${'registry only'.padStart(16)}${'with evidence: median round (min–max)'.padStart(42)}${'ratio'.padStart(8)}`,
  );
  for (const p of paths) {
    const ms = b.rounds.map((r) => r[p].median);
    const m = median(ms);
    console.log(
      `${p.padEnd(28)}${`${b.empty[p].median.toFixed(1)} ms`.padStart(16)}${`${m.toFixed(1)} ms (${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)})`.padStart(42)}${(m / b.empty[p].median).toFixed(2).padStart(8)}`,
    );
  }
  for (const [p, label] of [
    ['/v1/diagnostic', 'diagnostic'],
    ['/v1/plan', 'plan'],
  ]) {
    const m = median(b.rounds.map((r) => r[p].median));
    const slowest = Math.max(...b.rounds.map((r) => r[p].max));
    console.log(
      `${label} over ${DECISIONS} decisions and ${SPANS} spans: median ${m.toFixed(1)} ms, slowest of all ${slowest.toFixed(1)} ms (target < 1000 ms) ${m < 1000 ? 'MET' : 'NOT MET'}`,
    );
  }
  console.log(`server RSS ${(await b.fulcrum.rssMb()).toFixed(0)} MB`);
  b.fulcrum.stop();
}
