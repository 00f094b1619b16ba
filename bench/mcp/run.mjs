// bench/mcp: the same MCP tools/call (server-everything's echo) sent straight to the upstream over
// Streamable HTTP, and through Fulcrum's /mcp (key check, policy decision, durable audit, forward
// over the pooled upstream connection, evidence). Both measured in the same run. Not a test.
//
//   npm run build && node bench/mcp/run.mjs [--protocol 2025-11-25|2026-07-28] [--seconds 4] [--rounds 5]
//                                          [--connections 16] [--calls 2000] [--root DIR]
//
// --protocol 2025-11-25 (default): server-everything (SDK 1.x) is the upstream, both paths initialize.
// --protocol 2026-07-28: test/mcp/peers/modern-upstream.mjs (SDK 2.x, 2026-07-28 only) is the upstream;
// both paths send the 2026 envelope and headers, no session (the gateway speaks 2026 to it too).
//
// Targets (issue 15): added p50 latency <= 1.5 ms, throughput ratio >= 0.6, for both versions.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import autocannon from 'autocannon';
import { addGrowth, root, serverClocks, startFulcrum } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    calls: { type: 'string', default: '2000' },
    protocol: { type: 'string', default: '2025-11-25' },
    // Another checkout's build to serve (A/B runs against a copy of an earlier tree).
    root: { type: 'string' },
  },
});
const MODERN = values.protocol === '2026-07-28';
if (!MODERN && values.protocol !== '2025-11-25') throw new Error('--protocol is 2025-11-25 or 2026-07-28');
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const calls = Number(values.calls);
// The version the gateway's SDK client negotiates with the upstream, so both paths ask the upstream
// the same way (server-everything answers 2025-11-25 calls with an extra SSE priming event, slower).
const PROTOCOL = MODERN ? '2026-07-28' : LATEST_PROTOCOL_VERSION;

// The upstream, bound to 127.0.0.1: @modelcontextprotocol/server-everything over Streamable HTTP, or
// for 2026-07-28 an SDK 2.x server of the same echo.
const everything = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const upstreamProc = spawn(
  process.execPath,
  MODERN
    ? [path.join(import.meta.dirname, '../../test/mcp/peers/modern-upstream.mjs')]
    : ['--import', path.join(import.meta.dirname, '../../test/mcp/peers/loopback.mjs'), everything, 'streamableHttp'],
  {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
const upstream = await new Promise((resolve, reject) => {
  let err = '';
  upstreamProc.stderr.on('data', (d) => {
    err += d;
    const m = /LOOPBACK_PORT=(\d+)/.exec(err);
    if (m) resolve(`http://127.0.0.1:${m[1]}/mcp`);
  });
  upstreamProc.on('exit', (c) => reject(new Error(`upstream exited ${c}: ${err}`)));
});

const fulcrum = await startFulcrum('mcp', values.root ? { root: path.resolve(values.root) } : {});
const put = async (plural, name, spec) => {
  const r = await fulcrum.api('PUT', `/v1/${plural}/${name}`, {
    apiVersion: 'fulcrum/v1',
    kind: undefined,
    metadata: { name },
    spec,
  });
  if (r.error) throw new Error(`PUT ${plural}/${name}: ${JSON.stringify(r.error)}`);
};
await put('mcp-servers', 'bench', { transport: 'http', url: upstream });
await put('tools', 'bench.echo', {
  system: 'everything',
  effect: 'read',
  dataDomains: [],
  arguments: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
});
await put('agents', 'mcp-bench-bot', {
  initiative: 'support-deflection',
  owner: 'omar.haddad',
  framework: 'openai-agents-sdk',
  extraTools: ['bench.echo'],
});
const { key } = await fulcrum.api('POST', '/v1/agents/mcp-bench-bot/keys', {});

const mcpHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': PROTOCOL,
};
// A 2026-07-28 request carries its version and the client's capabilities in `_meta`, and its method
// and tool name in headers; there is no initialize and no session.
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': PROTOCOL, 'io.modelcontextprotocol/clientCapabilities': {} };
const call = (name) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name, arguments: { message: 'bench' }, ...(MODERN ? { _meta: ENVELOPE } : {}) },
  });
const callHeaders = (name) => (MODERN ? { ...mcpHeaders, 'mcp-method': 'tools/call', 'mcp-name': name } : mcpHeaders);

let session;
if (!MODERN) {
  // The upstream is stateful: open a session the way an MCP client does.
  const init = await fetch(upstream, {
    method: 'POST',
    headers: mcpHeaders,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
    }),
  });
  session = init.headers.get('mcp-session-id');
  const negotiated = /"protocolVersion":"([^"]+)"/.exec(await init.text())?.[1];
  if (negotiated !== PROTOCOL) throw new Error(`the upstream negotiated ${negotiated}, not ${PROTOCOL}`);
  await fetch(upstream, {
    method: 'POST',
    headers: { ...mcpHeaders, 'mcp-session-id': session },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  }).then((r) => r.text());
}
console.log(`MCP protocol ${PROTOCOL} on both paths (agent to /mcp, gateway to upstream, and direct)`);

const direct = {
  url: upstream,
  method: 'POST',
  headers: { ...callHeaders('echo'), ...(session ? { 'mcp-session-id': session } : {}) },
  body: call('echo'),
};
// The agent calls the tool by the name tools/list shows (bench.echo is shown as bench_echo).
const gateway = {
  url: `${fulcrum.url}/mcp`,
  method: 'POST',
  headers: { ...callHeaders('bench_echo'), authorization: `Bearer ${key}` },
  body: call('bench_echo'),
};

// The guard's part alone: the same decision over POST /v1/decisions (durable audit, no forwarding).
const decision = {
  url: `${fulcrum.url}/v1/decisions`,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
  body: JSON.stringify({ action: 'tool.call', tool: 'bench.echo', arguments: { message: 'bench' }, dataDomains: [] }),
};

// Both paths must answer the echo, or the numbers mean nothing.
for (const [label, target] of [
  ['direct', direct],
  ['gateway', gateway],
]) {
  const text = await (await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body })).text();
  if (!text.includes('Echo: bench')) throw new Error(`${label} did not echo: ${text.slice(0, 300)}`);
}

/** One call at a time: each call's latency without queueing, in microseconds. */
async function sequential(target, n, into = []) {
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
    await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    into.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return into;
}
const quantiles = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50: q(0.5), p99: q(0.99) };
};

/** The server's own clocks (its /metrics): sums and counts of the decision (to its durable commit),
 *  of the audit commit alone, and of the upstream's answer, for the gateway's slices. */
const SERVER_CLOCKS = {
  decision: 'fulcrum_decision_seconds{entry="mcp"}',
  commit: 'fulcrum_audit_commit_seconds{result="ok"}',
  upstream: 'fulcrum_mcp_upstream_seconds',
};
const readClocks = () => serverClocks(fulcrum.url, SERVER_CLOCKS);
const spent = Object.fromEntries(Object.keys(SERVER_CLOCKS).map((k) => [k, { sum: 0, count: 0 }]));
// Fulcrum's CPU time (user and system) over the gateway's slices: less at the machine's mercy than
// latency (a busy neighbour delays a call more than it lengthens the work the call takes).
const CPU = { user: 'fulcrum_process_cpu_user_seconds_total', system: 'fulcrum_process_cpu_system_seconds_total' };
const cpu = { user: 0, system: 0, calls: 0 };
/** Adds the CPU time Fulcrum spent between two reads of its clocks to `into`. */
const addCpu = (into, before, after) => {
  into.user += after.value(CPU.user) - before.value(CPU.user);
  into.system += after.value(CPU.system) - before.value(CPU.system);
};

await sequential(direct, 300); // warm up both paths (JIT, the gateway's upstream connection)
await sequential(gateway, 300);
await sequential(decision, 300);
// The machine's speed drifts (other tenants of the host): both paths are measured in alternating
// slices, sequentially and under load, so each sees the same machine.
const times = { direct: [], gateway: [], decision: [] };
for (let i = 0; i < rounds; i++)
  for (const [name, target] of [
    ['direct', direct],
    ['gateway', gateway],
    ['decision', decision],
  ]) {
    const before = name === 'gateway' ? await readClocks() : undefined;
    await sequential(target, Math.ceil(calls / rounds), times[name]);
    if (before) {
      const after = await readClocks();
      addGrowth(spent, before.clocks, after.clocks);
      addCpu(cpu, before, after);
      cpu.calls += Math.ceil(calls / rounds);
    }
  }
const sd = quantiles(times.direct);
const sg = quantiles(times.gateway);
const sx = quantiles(times.decision);

const load = (target, duration = seconds) => autocannon({ ...target, connections, duration, pipelining: 1 });
await load(direct, 2);
await load(gateway, 2);
const pairs = [];
let errors = 0;
// Under load, the audit's group commits: how many decisions share one, and how long each took to be
// durable (on the event loop, or with its fsync on the thread pool: docs/storage.md).
const commits = { count: 0, sum: 0, entries: 0 };
// The server's clocks and CPU over the gateway's loaded slices, as for the sequential ones above.
const loaded = Object.fromEntries(Object.keys(SERVER_CLOCKS).map((k) => [k, { sum: 0, count: 0 }]));
const loadedCpu = { user: 0, system: 0 };
for (let i = 0; i < rounds; i++) {
  const d = await load(direct);
  const before = await readClocks();
  const g = await load(gateway);
  const after = await readClocks();
  commits.count += after.clocks.commit.count - before.clocks.commit.count;
  commits.sum += after.clocks.commit.sum - before.clocks.commit.sum;
  commits.entries += after.value('fulcrum_audit_entries_total') - before.value('fulcrum_audit_entries_total');
  addGrowth(loaded, before.clocks, after.clocks);
  addCpu(loadedCpu, before, after);
  errors += d.errors + d.non2xx + g.errors + g.non2xx;
  if (d.non2xx + g.non2xx > 0)
    console.log('  status codes:', JSON.stringify(d.statusCodeStats), JSON.stringify(g.statusCodeStats));
  pairs.push({ d, g, ratio: g.requests.average / d.requests.average });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = median(pairs.map((p) => p.ratio));

const ms = (us) => (us / 1000).toFixed(2);
const added = (sg.p50 - sd.p50) / 1000;
console.log(`\nsequential (1 call at a time, ${times.direct.length} calls each, in ${rounds} alternating slices)`);
console.log(`  direct to upstream   p50 ${ms(sd.p50)} ms  p99 ${ms(sd.p99)} ms`);
console.log(`  through /mcp         p50 ${ms(sg.p50)} ms  p99 ${ms(sg.p99)} ms`);
console.log(`  added p50            ${added.toFixed(2)} ms  (target <= 1.5 ms) ${added <= 1.5 ? 'MET' : 'NOT MET'}`);
console.log(
  `  of which the guard:  POST /v1/decisions alone p50 ${ms(sx.p50)} ms (decision + durable audit commit, before forwarding)`,
);
// Where a call's time goes, by the server's clocks (means over the gateway's slices; the added p50
// above is a median, so the parts are indicative).
const mean = (k) => (spent[k].count ? (spent[k].sum / spent[k].count) * 1000 : Number.NaN);
const through = times.gateway.reduce((a, b) => a + b, 0) / times.gateway.length / 1000;
const direct_ = times.direct.reduce((a, b) => a + b, 0) / times.direct.length / 1000;
console.log(`  where the time goes (means, by Fulcrum's /metrics, the gateway's slices):`);
console.log(
  `    the decision to its durable commit ${mean('decision').toFixed(2)} ms (the commit alone, fsync included, ${mean('commit').toFixed(2)} ms); ` +
    `the upstream's answer ${mean('upstream').toFixed(2)} ms (direct, measured by this client: ${direct_.toFixed(2)} ms); ` +
    `the rest (both hops of HTTP, the key check, MCP handling on both sides) ${(through - mean('decision') - mean('upstream')).toFixed(2)} ms of ${through.toFixed(2)} ms`,
);
console.log(
  `    Fulcrum's CPU ${(((cpu.user + cpu.system) / cpu.calls) * 1e6).toFixed(0)} µs a call through /mcp, one call at a time ` +
    `(user ${((cpu.user / cpu.calls) * 1e6).toFixed(0)}, system ${((cpu.system / cpu.calls) * 1e6).toFixed(0)}: the kernel's share, sockets and the fsync)`,
);
console.log(`\nunder load (${connections} connections, ${rounds} pairs of ${seconds} s, direct then gateway)`);
for (const [i, p] of pairs.entries())
  console.log(
    `  pair ${i + 1}: direct ${p.d.requests.average.toFixed(0)} calls/s (p50 ${p.d.latency.p50} ms)  /mcp ${p.g.requests.average.toFixed(0)} calls/s (p50 ${p.g.latency.p50} ms)  ratio ${p.ratio.toFixed(2)}`,
  );
console.log(
  `  throughput ratio     median ${ratio.toFixed(2)} (min ${Math.min(...pairs.map((p) => p.ratio)).toFixed(2)}, max ${Math.max(...pairs.map((p) => p.ratio)).toFixed(2)})  ` +
    `(target >= 0.60) ${ratio >= 0.6 ? 'MET' : 'NOT MET'}   errors ${errors}`,
);
console.log(
  `  group commits        ${(commits.entries / commits.count).toFixed(1)} decisions each, ${((commits.sum / commits.count) * 1e6).toFixed(0)} µs each ` +
    `to be durable (${((commits.sum / commits.entries) * 1e6).toFixed(0)} µs a call)`,
);
// Under load a call waits: for the group commit, for the upstream (which serves the calls in flight
// together), and for the event loops of both servers. Means over the gateway's slices, by its clocks.
const loadedMean = (k) => (loaded[k].count ? (loaded[k].sum / loaded[k].count) * 1000 : Number.NaN);
const loadedLatency = pairs.reduce((a, p) => a + p.g.latency.average, 0) / pairs.length;
const perCall = (s) => ((s / commits.entries) * 1e6).toFixed(0);
console.log(
  `  where the time goes  (means, the gateway's slices): the decision to its durable commit ${loadedMean('decision').toFixed(2)} ms, ` +
    `the upstream's answer ${loadedMean('upstream').toFixed(2)} ms, the rest ${(loadedLatency - loadedMean('decision') - loadedMean('upstream')).toFixed(2)} ms ` +
    `of ${loadedLatency.toFixed(2)} ms; Fulcrum's CPU ${perCall(loadedCpu.user + loadedCpu.system)} µs a call ` +
    `(user ${perCall(loadedCpu.user)}, system ${perCall(loadedCpu.system)})`,
);
// Little's law: calls/s × the upstream's answer = how many of the connections' calls are at the upstream
// at a time (all of them on the direct path). An upstream whose answer is mostly waiting, not work,
// serves more calls a second the more it is sent at once.
const gatewayRate = pairs.reduce((a, p) => a + p.g.requests.average, 0) / pairs.length;
console.log(
  `  at the upstream       ${((gatewayRate * loadedMean('upstream')) / 1000).toFixed(1)} calls at a time on average, of the ${connections} in flight ` +
    `(the rest in Fulcrum: ${((gatewayRate * (loadedLatency - loadedMean('upstream'))) / 1000).toFixed(1)})`,
);
console.log(`\nFulcrum RSS ${(await fulcrum.rssMb()).toFixed(0)} MB`);
const audit = await fulcrum.api('GET', '/v1/audit/verify');
console.log(`audit verify ok=${audit.ok}, ${audit.entries} entries (one decision per call through /mcp)`);
fulcrum.stop();
upstreamProc.kill('SIGTERM');
