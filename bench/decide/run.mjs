// bench/decide: POST /v1/decisions (durable audit on) against GET /healthz on the same server,
// with the same load generator (autocannon) in the same run. Prints ratios; not a test.
//
//   npm run build && node bench/decide/run.mjs [--seconds 4] [--rounds 5] [--connections 32] [--million]
//
// Targets (issue 3): throughput ratio >= 0.7, decisions p99 <= 2 x healthz p99 + 1 ms,
// server RSS <= 200 MB after 1M decisions (--million).
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { allowedDecision, startFulcrum } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    million: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const fulcrum = await startFulcrum('decide');
const { url, api } = fulcrum;
const { key, ...decisions } = await allowedDecision(fulcrum);
const probe = await api('POST', '/v1/decisions', JSON.parse(decisions.body), key);
console.log(`decision under test: ${probe.decision} (${probe.reasons?.map((r) => r.policy).join(', ')})`);

const load = (opts) => autocannon({ connections, duration: seconds, pipelining: 1, ...opts });
const healthz = { url: `${url}/healthz`, method: 'GET' };
await load({ ...healthz, duration: 2 }); // warm up both paths
await load({ ...decisions, duration: 2 });
// Paired rounds, healthz then decisions, each pair back to back: the machine's speed drifts (other
// tenants of the host), and a pair measured seconds apart sees the same machine. The median pair is
// the result; every pair is printed.
const pairs = [];
let errors = 0;
let total = 0;
for (let i = 0; i < rounds; i++) {
  const h = await load(healthz);
  const d = await load(decisions);
  errors += d.errors + d.non2xx + h.errors + h.non2xx;
  if (d.non2xx + h.non2xx > 0) console.log('status codes:', JSON.stringify(h.statusCodeStats), JSON.stringify(d.statusCodeStats));
  total += d.requests.total;
  const pair = { h, d, ratio: d.requests.average / h.requests.average, budget: 2 * h.latency.p99 + 1 };
  pairs.push(pair);
  console.log(
    `round ${i + 1}: healthz ${h.requests.average.toFixed(0)} req/s p99 ${h.latency.p99} ms | decisions ${d.requests.average.toFixed(0)} req/s ` +
      `p99 ${d.latency.p99} ms | ratio ${pair.ratio.toFixed(2)}, p99 ${d.latency.p99 <= pair.budget ? 'within' : 'OVER'} budget ${pair.budget} ms`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = median(pairs.map((p) => p.ratio));
const over = pairs.filter((p) => p.d.latency.p99 > p.budget).length;
const rss = fulcrum.rssMb;
console.log(
  `\nGET /healthz       median ${median(pairs.map((p) => p.h.requests.average)).toFixed(0)} req/s, p99 ${median(pairs.map((p) => p.h.latency.p99))} ms`,
);
console.log(
  `POST /v1/decisions median ${median(pairs.map((p) => p.d.requests.average)).toFixed(0)} req/s, p99 ${median(pairs.map((p) => p.d.latency.p99))} ms (errors ${errors})`,
);
console.log(
  `throughput ratio   median ${ratio.toFixed(2)} of ${rounds} pairs (min ${Math.min(...pairs.map((p) => p.ratio)).toFixed(2)}, max ${Math.max(...pairs.map((p) => p.ratio)).toFixed(2)}) ` +
    `(target >= 0.70) ${ratio >= 0.7 ? 'MET' : 'NOT MET'}`,
);
console.log(
  `p99                within 2 x healthz p99 + 1 ms in ${rounds - over} of ${rounds} pairs ${over <= rounds / 2 ? 'MET' : 'NOT MET'}`,
);
console.log(`server RSS         ${(await rss()).toFixed(0)} MB after ${total + 1} decisions`);

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
