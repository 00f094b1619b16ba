// bench/ingest: OTLP protobuf trace ingest in batches of 512 spans, against the same endpoint with
// ?dryRun=true (decode and map only, nothing stored), same server, same load generator, same run.
// Prints spans/s, the ratio, and the server's RSS; not a test.
//
//   npm run build && node bench/ingest/run.mjs [--batches 400] [--connections 8] [--rounds 3]
//                                              [--spans-per-trace 8] [--against DIR]
//
// Targets (issue 4): >= 20,000 spans/s sustained on this 2-core machine with the load generator on
// it, server RSS <= 300 MB (issue 18 aims for 40,000). Each round runs on a fresh server; the median
// round is the result, min-max printed beside it. `--against DIR` runs the same load against another
// checkout's build (a copy of the tree before a change, built with `npx tsc -p tsconfig.build.json`)
// in the same rounds, alternating, so both see one machine.
//
// Traces are agent-shaped: an invoke_agent root with a task outcome, then inference and tool spans as
// its children, `--spans-per-trace` spans each (8: one root, four model calls, three tool calls).
// `--spans-per-trace 1` gives every span its own trace (the shape of this bench before 2026-12-02
// session 7): the worst case for the tasks-by-model rollup, which keeps one row per trace.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { startFulcrum } from '../lib.mjs';
import { agentExport } from './spans.mjs';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '400' },
    connections: { type: 'string', default: '8' },
    against: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    'spans-per-trace': { type: 'string', default: '8' },
  },
});
const rounds = Number(values.rounds);
const perTrace = Number(values['spans-per-trace']);
const BATCH = 512;
const batches = Number(values.batches);
const connections = Number(values.connections);

const batch = () => agentExport(BATCH, { perTrace, agentOf: (i) => (i % 3 ? 'support-bot-eu' : 'support-bot-us') });
const bodies = Array.from({ length: batches }, batch);
console.log(
  `${batches} distinct batches of ${BATCH} spans (${(bodies[0].length / 1024).toFixed(0)} KiB each), ${perTrace} span(s) per trace, ${rounds} round(s)`,
);

/** One server of the build at `root`: decode-only then stored, the same bodies. */
async function measure(label, root) {
  const fulcrum = await startFulcrum('ingest', root ? { root } : {});
  const { url, api } = fulcrum;
  const { key } = await api('POST', '/v1/agents/support-bot-eu/keys', {});
  // `connections` senders on keep-alive connections, each sending the next body as soon as its last
  // answer is read, until every body is sent; timed by the wall clock (autocannon ends a run of a
  // fixed number of requests on its one-second tick, which at this length is a 10 % step).
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const send = (target, body) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(target, {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-protobuf', 'content-length': body.length },
      });
      req.once('error', reject);
      req.once('response', (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
      });
      req.end(body);
    });
  const run = async (query) => {
    const target = `${url}/otlp/v1/traces${query}`;
    let next = 0;
    let failed = 0;
    const latencies = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < batches) {
          const r = await send(target, bodies[next++]);
          latencies.push(r.ms);
          if (r.status !== 200) failed++;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((x, y) => x - y);
    return { spansPerSec: (batches * BATCH) / seconds, p99: latencies[Math.floor(latencies.length * 0.99)].toFixed(0), failed };
  };
  const decodeOnly = await run('?dryRun=true');
  const stored = await run('');
  agent.destroy();
  const ingested = stored.spansPerSec;
  const decode = decodeOnly.spansPerSec;
  const mb = await fulcrum.rssMb();
  const counted = await api('GET', '/v1/costs?groupBy=agent');
  const rolled = counted.rows.reduce((n, r) => n + r.calls, 0);
  console.log(
    `[${label}] decode only ${decode.toFixed(0)} spans/s (p99 ${decodeOnly.p99} ms) | stored ${ingested.toFixed(0)} spans/s (p99 ${stored.p99} ms) | ratio ${(ingested / decode).toFixed(2)} | RSS ${mb.toFixed(0)} MB | errors ${decodeOnly.failed + stored.failed} | rolled-up inference calls ${rolled}/${batches * BATCH * 0.5}`,
  );
  if (rolled !== batches * BATCH * 0.5) throw new Error('the rollups did not count every inference span');
  fulcrum.stop();
  return { stored: ingested, decode, mb };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const span = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;
const runs = { before: [], now: [] };
for (let r = 0; r < rounds; r++) {
  if (values.against) runs.before.push(await measure(`round ${r + 1}, against ${values.against}`, values.against));
  runs.now.push(await measure(`round ${r + 1}, this build`));
}
const report = (label, xs) => {
  const stored = xs.map((x) => x.stored);
  const m = median(stored);
  console.log(
    `${label}: stored median ${m.toFixed(0)} spans/s (min-max ${span(stored)}), decode only median ${median(xs.map((x) => x.decode)).toFixed(0)}, RSS max ${Math.max(...xs.map((x) => x.mb)).toFixed(0)} MB`,
  );
  return m;
};
const now = report('this build', runs.now);
console.log(
  `target >= 20,000 spans/s stored: ${runs.now.every((x) => x.stored >= 20_000) ? 'MET in every round' : now >= 20_000 ? 'median MET, not in every round' : 'NOT MET'}; RSS <= 300 MB: ${runs.now.every((x) => x.mb <= 300) ? 'MET' : 'NOT MET'}`,
);
if (values.against) {
  const before = report(`against ${values.against}`, runs.before);
  const ratios = runs.now.map((x, i) => x.stored / runs.before[i].stored);
  console.log(
    `stored spans/s, this build / against, per round: ${ratios.map((r) => r.toFixed(2)).join(' ')} (median ${median(ratios).toFixed(2)}; medians ${(now / before).toFixed(2)})`,
  );
}
