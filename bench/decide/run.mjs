// bench/decide: POST /v1/decisions (durable audit on) against GET /healthz on the same server,
// with the same load generator (autocannon) in the same run. Prints ratios; not a test.
//
//   npm run build && node bench/decide/run.mjs [--seconds 10] [--connections 32] [--million]
//
// Targets (issue 3): throughput ratio >= 0.7, decisions p99 <= 2 x healthz p99 + 1 ms,
// server RSS <= 200 MB after 1M decisions (--million).
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startFulcrum } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    million: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const fulcrum = await startFulcrum('decide');
const { url, api } = fulcrum;
const { key } = await api('POST', '/v1/agents/support-bot-eu/keys', {});
const decisionBody = JSON.stringify({
  action: 'tool.call',
  tool: 'crm.lookup_customer',
  arguments: { customerId: 'C-1042' },
  dataDomains: ['customer-profiles'],
});
const probe = await api('POST', '/v1/decisions', JSON.parse(decisionBody), key);
console.log(`decision under test: ${probe.decision} (${probe.reasons?.map((r) => r.policy).join(', ')})`);

const load = (opts) => autocannon({ connections, duration: seconds, pipelining: 1, ...opts });
const healthz = { url: `${url}/healthz`, method: 'GET' };
const decisions = {
  url: `${url}/v1/decisions`,
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: decisionBody,
};

await load({ ...healthz, duration: 2 }); // warm up both paths
await load({ ...decisions, duration: 2 });
const h = await load(healthz);
const d = await load(decisions);
const rss = fulcrum.rssMb;
const errors = d.errors + d.non2xx + h.errors + h.non2xx;
if (errors > 0) console.log('status codes:', JSON.stringify(h.statusCodeStats), JSON.stringify(d.statusCodeStats));
const ratio = d.requests.average / h.requests.average;
const p99Budget = 2 * h.latency.p99 + 1;
console.log(`\nGET /healthz       ${h.requests.average.toFixed(0)} req/s  p50 ${h.latency.p50} ms  p99 ${h.latency.p99} ms`);
console.log(
  `POST /v1/decisions ${d.requests.average.toFixed(0)} req/s  p50 ${d.latency.p50} ms  p99 ${d.latency.p99} ms  (errors ${errors})`,
);
console.log(`throughput ratio   ${ratio.toFixed(2)}  (target >= 0.70) ${ratio >= 0.7 ? 'MET' : 'NOT MET'}`);
console.log(
  `p99                ${d.latency.p99} ms vs budget ${p99Budget} ms (2 x healthz p99 + 1) ${d.latency.p99 <= p99Budget ? 'MET' : 'NOT MET'}`,
);
console.log(`server RSS         ${(await rss()).toFixed(0)} MB after ${d.requests.total + 1} decisions`);

if (values.million) {
  const started = Date.now();
  const m = await autocannon({ connections, amount: 1_000_000, ...decisions });
  const mb = await rss();
  console.log(
    `1M decisions       ${((Date.now() - started) / 1000).toFixed(0)} s, ${m.requests.average.toFixed(0)} req/s, errors ${m.errors + m.non2xx}; ` +
      `server RSS ${mb.toFixed(0)} MB (target <= 200) ${mb <= 200 ? 'MET' : 'NOT MET'}`,
  );
}
const audit = await api('GET', '/v1/audit/verify');
console.log(`audit verify       ok=${audit.ok}, ${audit.entries} entries`);
fulcrum.stop();
