// Runs the tests' fake model provider (test/llm/upstream.ts, compiled by run.mjs) as its own process,
// so that the load generator and the provider do not share a thread. Prints LOOPBACK_PORT=<port>.
const [compiled] = process.argv.slice(2);
const { startFakeUpstream } = await import(compiled);
const upstream = await startFakeUpstream({ record: false });
// Every call: 10 input tokens, 5 output tokens ("tok " each), no added latency.
upstream.behave('*', { inputTokens: 10, outputTokens: 5 });
// bench/llm/bodies.mjs: a model whose whole answer is large (BENCH_LLM_BIG_TOKENS tokens of "tok ").
if (process.env.BENCH_LLM_BIG_TOKENS)
  upstream.behave('bench-big', { inputTokens: 10, outputTokens: Number(process.env.BENCH_LLM_BIG_TOKENS) });
process.stderr.write(`LOOPBACK_PORT=${new URL(upstream.url).port}\n`);
process.on('SIGTERM', () => upstream.close().then(() => process.exit(0)));
