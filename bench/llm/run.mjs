// bench/llm: the same OpenAI chat completion sent straight to a model provider, through Fulcrum's
// LLM gateway (agent key, model.call decision with its durable audit commit, worst case reserved
// against a SpendLimit, forward, settle, evidence) and through Portkey's open-source gateway
// (@portkey-ai/gateway, the peer), all in the same run, against the same provider: the tests' fake
// provider (test/llm/upstream.ts) in its own process on 127.0.0.1. Not a test.
//
//   npm run build && node bench/llm/run.mjs [--calls 1500] [--warmup 3000] [--rounds 5] [--seconds 4] [--connections 16]
//
// Prints the added p50 of one call at a time (target: <= 3 ms, and <= the peer's), streaming
// time to first token, and throughput under load (autocannon, paired rounds).
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { addGrowth, root, serverClocks, startFulcrum } from '../lib.mjs';
import { bindProviderSecret, child, setUpAgent, startProvider, stopChildren } from './setup.mjs';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '1500' },
    warmup: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '16' },
  },
});
const calls = Number(values.calls);
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

// The provider: the tests' fake, compiled to JavaScript, in a child process.
const upstream = await startProvider();

// The peer: Portkey's gateway as npm installs it (its postinstall, patch-package, did not run).
const portkeyPort = 18700 + Math.floor(Math.random() * 200);
await child(
  [path.join(root, 'node_modules/@portkey-ai/gateway/build/start-server.js'), `--port=${portkeyPort}`, '--headless'],
  /(Ready for connections|running at)/,
);
const portkey = `http://127.0.0.1:${portkeyPort}`;

// Fulcrum: the example enterprise, an endpoint on the provider, a priced model, an agent allowed to
// call it, and a SpendLimit on that agent (every call reserves and settles).
bindProviderSecret(upstream);
// Every /metrics read rendered afresh: the slices read the server's clocks before and after (below).
process.env.FULCRUM_METRICS_CACHE_MS = '0';
const fulcrum = await startFulcrum('llm');
const key = await setUpAgent(fulcrum, upstream, { 'bench-chat': { maxOutputTokens: 256 } });

const body = (stream) =>
  JSON.stringify({
    model: 'bench-chat',
    messages: [{ role: 'user', content: 'Say hello.' }],
    max_tokens: 64,
    ...(stream ? { stream: true } : {}),
  });
const targets = {
  direct: { url: `${upstream}/v1/chat/completions`, headers: { authorization: 'Bearer sk-bench' } },
  fulcrum: { url: `${fulcrum.url}/llm/openai/v1/chat/completions`, headers: { authorization: `Bearer ${key}` } },
  portkey: {
    url: `${portkey}/v1/chat/completions`,
    headers: { authorization: 'Bearer sk-bench', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstream}/v1` },
  },
};
const NAMES = Object.keys(targets);
const request = (name, stream) => ({
  url: targets[name].url,
  method: 'POST',
  headers: { 'content-type': 'application/json', ...targets[name].headers },
  body: body(stream),
});

// Every path must answer the completion, whole and streamed, or the numbers mean nothing. A path that
// cannot stream is reported and left out of the streaming measurements.
const streaming = [];
const cannotStream = {};
for (const name of NAMES) {
  const whole = await fetch(targets[name].url, request(name, false));
  const text = await whole.text();
  if (!whole.ok || !text.includes('tok tok tok tok tok'))
    throw new Error(`${name} did not answer: ${whole.status} ${text.slice(0, 300)}`);
  const res = await fetch(targets[name].url, request(name, true));
  const streamed = await res.text();
  if ((streamed.match(/"content":"tok /g) ?? []).length === 5) streaming.push(name);
  else cannotStream[name] = `HTTP ${res.status} ${streamed.slice(0, 200)}`;
}
if (!streaming.includes('direct') || !streaming.includes('fulcrum'))
  throw new Error(`streaming failed: ${JSON.stringify(cannotStream)}`);

/** One call at a time; for a stream, also the time to its first token. Microseconds. */
async function sequential(name, n, stream, into) {
  const r = request(name, stream);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(r.url, r);
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
    if (!stream) {
      await res.text();
      into.total.push(Number(process.hrtime.bigint() - t0) / 1000);
      continue;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    let first = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!first) {
        seen += decoder.decode(value, { stream: true });
        if (seen.includes('"content":"tok ')) first = Number(process.hrtime.bigint() - t0) / 1000;
      }
    }
    into.ttft.push(first);
    into.total.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
}
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const ms = (us) => (us / 1000).toFixed(2);

// Warm up, each path alike: connections, and the JIT. V8 goes on optimising a server's hot code in the
// background for thousands of calls (Fulcrum's TurboFan threads took ~0.7 ms of CPU per call over the
// first 3,000 calls and ~0.15 ms after 8,000, on the 2-core bench machine), and that work shares the
// cores with the provider and the client: a gateway that runs for days has long finished it.
for (const name of NAMES) await sequential(name, warmup, false, { total: [] });
for (const name of streaming) await sequential(name, 50, true, { total: [], ttft: [] });
/** The server's own clocks (its /metrics): sums and counts of the decision (to its durable commit), of
 *  the audit commit alone (transaction and fsync), and of the provider's answer, for Fulcrum's slices. */
const SERVER_CLOCKS = {
  decision: 'fulcrum_decision_seconds{entry="llm"}',
  commit: 'fulcrum_audit_commit_seconds{result="ok"}',
  provider: 'fulcrum_llm_upstream_seconds{endpoint="bench-openai",stream="false"}',
};
const readClocks = () => serverClocks(fulcrum.url, SERVER_CLOCKS);
const spent = Object.fromEntries(Object.keys(SERVER_CLOCKS).map((k) => [k, { sum: 0, count: 0 }]));
const whole = Object.fromEntries(NAMES.map((n) => [n, { total: [] }]));
const streamed = Object.fromEntries(NAMES.map((n) => [n, { total: [], ttft: [] }]));
// The machine's speed drifts (other tenants): the paths are measured in alternating slices.
for (let i = 0; i < rounds; i++)
  for (const name of NAMES) {
    const before = name === 'fulcrum' ? await readClocks() : undefined;
    await sequential(name, Math.ceil(calls / rounds), false, whole[name]);
    if (before) addGrowth(spent, before.clocks, (await readClocks()).clocks);
    if (streaming.includes(name)) await sequential(name, Math.ceil(calls / rounds / 3), true, streamed[name]);
  }

const load = (name, duration = seconds) => autocannon({ ...request(name, false), connections, duration, pipelining: 1 });
for (const name of NAMES) await load(name, 2);
const pairs = [];
let errors = 0;
for (let i = 0; i < rounds; i++) {
  const r = {};
  for (const name of NAMES) {
    r[name] = await load(name);
    errors += r[name].errors + r[name].non2xx;
  }
  pairs.push(r);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const load1 = os.loadavg()[0];
console.log(
  `\nconditions: ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${load1.toFixed(1)} at the end, Node ${process.version}; Fulcrum on SQLite (synchronous=FULL), provider answers at once (10 in / 5 out tokens); ${warmup} warm-up calls per path`,
);
console.log(`\none call at a time, whole answers (${whole.direct.total.length} calls each, ${rounds} alternating slices)`);
for (const name of NAMES)
  console.log(`  ${name.padEnd(8)} p50 ${ms(q(whole[name].total, 0.5))} ms  p99 ${ms(q(whole[name].total, 0.99))} ms`);
const added = (name) => (q(whole[name].total, 0.5) - q(whole.direct.total, 0.5)) / 1000;
console.log(
  `  added p50: Fulcrum ${added('fulcrum').toFixed(2)} ms, Portkey ${added('portkey').toFixed(2)} ms  (target: Fulcrum <= 3 ms and <= Portkey) ${added('fulcrum') <= 3 && added('fulcrum') <= added('portkey') ? 'MET' : 'NOT MET'}`,
);
// Where a call's time goes, by the server's clocks (means over Fulcrum's slices; the added p50 above is
// a median, so the parts are indicative).
const mean = (k) => (spent[k].count ? (spent[k].sum / spent[k].count) * 1000 : Number.NaN);
const meanOf = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length / 1000;
const throughMs = meanOf(whole.fulcrum.total);
console.log(`  where Fulcrum's time goes (means, by its /metrics, over its slices):`);
console.log(
  `    the decision to its durable commit ${mean('decision').toFixed(2)} ms (the audit commit alone, its fsync included, ${mean('commit').toFixed(2)} ms); ` +
    `the provider's answer ${mean('provider').toFixed(2)} ms (direct, measured by this client: ${meanOf(whole.direct.total).toFixed(2)} ms); ` +
    `the rest (both hops of HTTP, the key check, reading the body, planning and reserving, relaying the answer) ${(throughMs - mean('decision') - mean('provider')).toFixed(2)} ms of ${throughMs.toFixed(2)} ms`,
);
console.log(`\none call at a time, streamed (${streamed.direct.ttft.length} calls each): time to first token, and to the end`);
for (const [name, why] of Object.entries(cannotStream)) console.log(`  ${name.padEnd(8)} cannot stream: ${why}`);
for (const name of streaming)
  console.log(
    `  ${name.padEnd(8)} TTFT p50 ${ms(q(streamed[name].ttft, 0.5))} ms  p99 ${ms(q(streamed[name].ttft, 0.99))} ms   whole stream p50 ${ms(q(streamed[name].total, 0.5))} ms`,
  );
const addedTtft = (name) =>
  streaming.includes(name) ? `${((q(streamed[name].ttft, 0.5) - q(streamed.direct.ttft, 0.5)) / 1000).toFixed(2)} ms` : 'n/a';
console.log(`  added TTFT p50: Fulcrum ${addedTtft('fulcrum')}, Portkey ${addedTtft('portkey')}`);
console.log(`\nunder load (${connections} connections, ${rounds} rounds of ${seconds} s, each path in turn)`);
for (const [i, r] of pairs.entries())
  console.log(
    `  round ${i + 1}: ${NAMES.map((n) => `${n} ${r[n].requests.average.toFixed(0)}/s (p50 ${r[n].latency.p50} ms)`).join('  ')}`,
  );
const ratio = (name) => median(pairs.map((r) => r[name].requests.average / r.direct.requests.average));
console.log(
  `  throughput against direct, median: Fulcrum ${ratio('fulcrum').toFixed(2)}, Portkey ${ratio('portkey').toFixed(2)}   errors ${errors}`,
);

const status = await fulcrum.api('GET', '/v1/spend-limits/llm-bench/status');
console.log(
  `\nspend limit llm-bench: ${status.calls} calls admitted, spent ${status.spentUsd} USD, reserved ${status.reservedUsd} USD`,
);
console.log(`Fulcrum RSS ${(await fulcrum.rssMb()).toFixed(0)} MB`);
const audit = await fulcrum.api('GET', '/v1/audit/verify');
console.log(`audit verify ok=${audit.ok}, ${audit.entries} entries (one decision per call through the gateway)`);
fulcrum.stop();
stopChildren();
