// bench/ingest/bodies.mjs: how long one OTLP export holds Fulcrum's event loop (every decision of the
// node waits that long). Sends exports of 512 to ~36,000 agent-shaped spans (protobuf, up to the
// 8 MiB body limit), one at a time, stored and dry-run, and reads the longest event-loop delay around
// each from the server's own /metrics (fulcrum_nodejs_eventloop_lag_max_seconds, reset at every
// scrape). Not a test.
//
//   npm run build && node bench/ingest/bodies.mjs [--root DIR]
//
// --root: serve another checkout's build (a copy of the tree before a change), for before/after.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFulcrum } from '../lib.mjs';
import { agentExport } from './spans.mjs';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const fulcrum = await startFulcrum('ingest-bodies', values.root ? { root: path.resolve(values.root) } : {});
const { key } = await fulcrum.api('POST', '/v1/agents/support-bot-eu/keys', {});
const lagMaxMs = async () =>
  Number(/^fulcrum_nodejs_eventloop_lag_max_seconds (\S+)/m.exec(await (await fetch(`${fulcrum.url}/metrics`)).text())?.[1]) *
  1000;
for (const n of [512, 4096, 16384, 36000]) {
  const body = agentExport(n);
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
