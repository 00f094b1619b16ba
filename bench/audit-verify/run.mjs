// bench/audit-verify: what an audit verification on the server costs the node's other callers.
// Fills the audit log with decisions, then asks `GET /v1/audit/verify` while two closed-loop clients
// send `GET /healthz` and `POST /v1/decisions` one request at a time; prints each verification's
// duration and both clients' p99 and max while it ran, then the median and min–max over the rounds.
// Not a test.
//
//   npm run build && node bench/audit-verify/run.mjs [--entries 200000] [--rounds 5] [--connections 32]
//
// Target: healthz and decisions p99 while a verification runs < 50 ms (the same budget as registry
// writes: bench/policy-apply).
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { allowedDecision, startFulcrum } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
  },
});
const entries = Number(values.entries);
const rounds = Number(values.rounds);

const fulcrum = await startFulcrum('audit-verify');
const { url, api } = fulcrum;
const { key: _, ...decide } = await allowedDecision(fulcrum);
const filled = await autocannon({
  connections: Number(values.connections),
  amount: entries,
  ...decide,
});
if (filled.errors + filled.non2xx > 0) throw new Error(`filling the audit log: ${filled.errors + filled.non2xx} errors`);

/** One request at a time until `until` resolves; the latencies in ms. */
async function closedLoop(send, until) {
  const times = [];
  let done = false;
  until.then(() => {
    done = true;
  });
  while (!done) {
    const t = performance.now();
    const res = await send();
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    times.push(performance.now() - t);
  }
  return times;
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = [];
for (let i = 0; i < rounds; i++) {
  const t = performance.now();
  const verifying = api('GET', '/v1/audit/verify').then((r) => ({ r, ms: performance.now() - t }));
  const [h, d, v] = await Promise.all([
    closedLoop(() => fetch(`${url}/healthz`), verifying),
    closedLoop(() => fetch(decide.url, decide), verifying),
    verifying,
  ]);
  if (!v.r.ok) throw new Error(`verify: ${JSON.stringify(v.r).slice(0, 300)}`);
  const row = {
    verifyMs: v.ms,
    entries: v.r.entries,
    hP99: pct(h, 99),
    hMax: Math.max(...h),
    dP99: pct(d, 99),
    dMax: Math.max(...d),
    n: h.length + d.length,
  };
  results.push(row);
  console.log(
    `round ${i + 1}: verify ${row.entries} entries in ${(row.verifyMs / 1000).toFixed(2)} s | healthz p99 ${row.hP99.toFixed(1)} ms (max ${row.hMax.toFixed(1)}) ` +
      `| decisions p99 ${row.dP99.toFixed(1)} ms (max ${row.dMax.toFixed(1)}) | ${row.n} requests meanwhile`,
  );
}
const line = (name, k) => {
  const xs = results.map((r) => r[k]);
  return `${name} median ${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
};
console.log(`\n${line('verify ms', 'verifyMs')}`);
console.log(`${line('healthz p99 ms', 'hP99')}; ${line('max', 'hMax')}`);
console.log(`${line('decisions p99 ms', 'dP99')}; ${line('max', 'dMax')}`);
const met = median(results.map((r) => r.hP99)) < 50 && median(results.map((r) => r.dP99)) < 50;
console.log(`target p99 < 50 ms while verifying: ${met ? 'MET' : 'NOT MET'}`);
fulcrum.stop();
