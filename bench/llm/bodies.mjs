// bench/llm/bodies.mjs: how long one large LLM call holds Fulcrum's event loop (every other call and
// decision of the node waits that long). Sends request bodies of 8 and 30 MiB in three shapes (one
// long string, many small messages, one image), one refused before forwarding, and a large whole
// answer, one at a time, and reads the longest event-loop delay around each from the server's own
// /metrics (fulcrum_nodejs_eventloop_lag_max_seconds, reset at every scrape). Not a test.
//
//   npm run build && node bench/llm/bodies.mjs [--big-tokens 15000000] [--root DIR]
//
// --root: serve another checkout's build (a copy of the tree before a change), for before/after.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { root, startFulcrum } from '../lib.mjs';

const { values } = parseArgs({
  options: { 'big-tokens': { type: 'string', default: '15000000' }, root: { type: 'string' } },
});
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-bench-bodies-'));
const compiled = path.join(tmp, 'upstream.mjs');
await build({
  entryPoints: [path.join(root, 'test/llm/upstream.ts')],
  outfile: compiled,
  platform: 'node',
  format: 'esm',
  bundle: false,
});
const provider = spawn(process.execPath, [path.join(import.meta.dirname, 'upstream-child.mjs'), compiled], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, BENCH_LLM_BIG_TOKENS: values['big-tokens'] },
});
const port = await new Promise((resolve, reject) => {
  let out = '';
  provider.stderr.on('data', (d) => {
    out += d;
    const m = /LOOPBACK_PORT=(\d+)/.exec(out);
    if (m) resolve(m[1]);
  });
  provider.on('exit', (c) => reject(new Error(`the provider exited ${c}: ${out}`)));
});
const upstream = `http://127.0.0.1:${port}`;
process.env.FULCRUM_SECRET_BENCH_LLM = 'sk-bench';
process.env.FULCRUM_SECRET_BENCH_LLM_ORIGINS = upstream;
const fulcrum = await startFulcrum('llm-bodies', values.root ? { root: path.resolve(values.root) } : {});
const put = async (plural, name, spec) => {
  const r = await fulcrum.api('PUT', `/v1/${plural}/${name}`, { apiVersion: 'fulcrum/v1', metadata: { name }, spec });
  if (r.error) throw new Error(`PUT ${plural}/${name}: ${JSON.stringify(r.error)}`);
};
await put('model-endpoints', 'bench-openai', {
  api: 'openai',
  baseUrl: `${upstream}/v1`,
  credential: { env: 'FULCRUM_SECRET_BENCH_LLM' },
});
const model = (name, upstreamName) =>
  put('models', name, {
    provider: 'openai',
    hosting: 'vendor',
    regions: ['eu-west-1'],
    status: 'approved',
    maxClassification: 'internal',
    pricing: [{ from: '2020-01-01', currency: 'USD', inputPerMillion: 1, outputPerMillion: 2 }],
    endpoint: 'bench-openai',
    maxOutputTokens: 10_000_000,
    ...(upstreamName ? { upstreamName } : {}),
  });
await model('bench-chat');
await model('bench-big-chat', 'bench-big');
await put('archetypes', 'llm-bench', {
  tools: [],
  dataDomains: [],
  models: ['bench-chat', 'bench-big-chat'],
  autonomy: 'autonomous',
});
await put('agents', 'llm-bench-bot', { initiative: 'support-deflection', archetype: 'llm-bench', owner: 'omar.haddad' });
await put('spend-limits', 'llm-bench', { scope: { agent: 'llm-bench-bot' }, period: 'day', amountUsd: 1_000_000 });
const { key } = await fulcrum.api('POST', '/v1/agents/llm-bench-bot/keys', {});

const lagMaxMs = async () =>
  Number(/^fulcrum_nodejs_eventloop_lag_max_seconds (\S+)/m.exec(await (await fetch(`${fulcrum.url}/metrics`)).text())?.[1]) *
  1000;
async function probe(label, body) {
  await lagMaxMs(); // resets the server's histogram
  const started = performance.now();
  const res = await fetch(`${fulcrum.url}/llm/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  let size = 0;
  for await (const c of res.body) size += c.length;
  const took = performance.now() - started;
  const lag = await lagMaxMs();
  console.log(
    `${label.padEnd(22)} ${res.status}  ${(body.length / 2 ** 20).toFixed(1).padStart(5)} MiB in ${(size / 2 ** 20).toFixed(1).padStart(5)} MiB out  ` +
      `${took.toFixed(0).padStart(5)} ms  event loop held at most ${lag.toFixed(0)} ms`,
  );
}
const MiB = 2 ** 20;
const ask = (m, content, more = {}) =>
  JSON.stringify({ model: m, max_tokens: 16, ...more, messages: [{ role: 'user', content }] });
for (const n of [8, 30]) {
  await probe(`one string ${n} MiB`, ask('bench-chat', 'a'.repeat(n * MiB)));
  await probe(
    `many messages ${n} MiB`,
    JSON.stringify({
      model: 'bench-chat',
      max_tokens: 16,
      messages: Array.from({ length: (n * MiB) / 40 }, () => ({ role: 'user', content: 'hello there' })),
    }),
  );
  await probe(
    `image ${n} MiB`,
    ask('bench-chat', [{ type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(n * MiB)}` } }]),
  );
  await probe(`unknown model ${n} MiB`, ask('no-such-model', 'a'.repeat(n * MiB)));
}
await probe('large whole answer', ask('bench-big-chat', 'hi', { max_tokens: 10_000_000 }));
fulcrum.stop();
provider.kill('SIGTERM');
fs.rmSync(tmp, { recursive: true, force: true });
