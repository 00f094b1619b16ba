// bench/llm/bodies.mjs: how long one large LLM call holds Fulcrum's event loop (every other call and
// decision of the node waits that long). Sends request bodies of 8 and 30 MiB in three shapes (one
// long string, many small messages, one image), one refused before forwarding, and a large whole
// answer, one at a time, and reads the longest event-loop delay around each from the server's own
// /metrics (fulcrum_nodejs_eventloop_lag_max_seconds, reset at every scrape). Not a test.
//
//   npm run build && node bench/llm/bodies.mjs [--big-tokens 15000000] [--root DIR]
//
// --root: serve another checkout's build (a copy of the tree before a change), for before/after.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFulcrum } from '../lib.mjs';
import { bindProviderSecret, setUpAgent, startProvider, stopChildren } from './setup.mjs';

const { values } = parseArgs({
  options: { 'big-tokens': { type: 'string', default: '15000000' }, root: { type: 'string' } },
});
const upstream = await startProvider({ BENCH_LLM_BIG_TOKENS: values['big-tokens'] });
bindProviderSecret(upstream);
const fulcrum = await startFulcrum('llm-bodies', values.root ? { root: path.resolve(values.root) } : {});
const key = await setUpAgent(fulcrum, upstream, {
  'bench-chat': { maxOutputTokens: 10_000_000 },
  'bench-big-chat': { maxOutputTokens: 10_000_000, upstreamName: 'bench-big' },
});

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
stopChildren();
