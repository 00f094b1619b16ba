// What a /metrics scrape costs the node: a scraper's request, one at a time (each scrape's own
// render), then a burst of scrapers at once (several Prometheus replicas, or anyone: /metrics is
// public by default). Run against a server with the render cache off (FULCRUM_METRICS_CACHE_MS=0)
// and one with its default, in the same run: `node bench/metrics/scrape.mjs`.
import { startFulcrum } from '../lib.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 200);
const BURST = Number(process.env.BURST ?? 50);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scrape(url) {
  const t = performance.now();
  const res = await fetch(`${url}/metrics`);
  await res.text();
  return performance.now() - t;
}

async function measure(label, cacheMs) {
  process.env.FULCRUM_METRICS_CACHE_MS = String(cacheMs);
  const f = await startFulcrum(`metrics-${cacheMs}`);
  try {
    // Some routes seen, so the request histograms have series, as on a node that has been serving.
    for (const p of ['/v1/agents', '/v1/initiatives', '/v1/signals', '/v1/costs', '/healthz']) await f.api('GET', p);
    for (let i = 0; i < 20; i++) await scrape(f.url);
    const one = [];
    for (let i = 0; i < ROUNDS; i++) one.push(await scrape(f.url));
    const t = performance.now();
    await Promise.all(Array.from({ length: BURST }, () => scrape(f.url)));
    const burst = performance.now() - t;
    console.log(
      `${label}: a scrape ${median(one).toFixed(2)} ms median (min ${Math.min(...one).toFixed(2)}, max ${Math.max(...one).toFixed(2)}); ${BURST} at once ${burst.toFixed(0)} ms`,
    );
  } finally {
    f.stop();
  }
}

await measure('render each scrape (FULCRUM_METRICS_CACHE_MS=0)', 0);
await measure('render cached 1 s (default)', 1000);
