// Shared by the benchmarks: a real `fulcrum serve` process on a scratch SQLite database, loaded
// with the example enterprise, and a small admin client.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
const admin = 'fat_bench-admin';

/** Starts the server and applies examples/acme. FULCRUM_BENCH_PROF=DIR writes its CPU profile there
 *  (sampled every FULCRUM_BENCH_PROF_INTERVAL µs, 1000 by default);
 *  FULCRUM_BENCH_NODE_OPTIONS passes Node options to the server alone (e.g. --max-old-space-size=128).
 *  `root`: another checkout's build to run (A/B runs against a copy of an earlier tree). */
export async function startFulcrum(name, { root: serverRoot = root } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `fulcrum-bench-${name}-`));
  const prof = process.env.FULCRUM_BENCH_PROF
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${process.env.FULCRUM_BENCH_PROF}`,
        `--cpu-prof-interval=${process.env.FULCRUM_BENCH_PROF_INTERVAL ?? 1000}`,
      ]
    : [];
  const server = spawn(process.execPath, [...prof, path.join(serverRoot, 'bin/fulcrum'), 'serve'], {
    env: {
      ...process.env,
      NODE_OPTIONS: process.env.FULCRUM_BENCH_NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? '',
      FULCRUM_DATA_DIR: dataDir,
      FULCRUM_PORT: '0',
      FULCRUM_ADMIN_TOKEN: admin,
      FULCRUM_LOG_LEVEL: 'warn',
      // Each /metrics read rendered afresh, so that the reads around a slice (serverClocks) see it whole.
      FULCRUM_METRICS_CACHE_MS: process.env.FULCRUM_METRICS_CACHE_MS ?? '0',
      // The operator's allow-lists: examples/acme's stdio server, and upstreams on this machine (bench/mcp).
      FULCRUM_MCP_STDIO_ALLOW: JSON.stringify([['npx', '-y', '@modelcontextprotocol/server-everything@2026.8.31']]),
      FULCRUM_OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise((resolve, reject) => {
    let err = '';
    server.stderr.on('data', (d) => {
      err += d;
      const m = /Fulcrum listening on (\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    server.on('exit', (c) => reject(new Error(`server exited ${c}: ${err}`)));
  });
  const api = async (method, p, body, token = admin) => {
    const res = await fetch(url + p, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json();
  };
  const files = fs
    .readdirSync(path.join(root, 'examples/acme'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ path: f, content: fs.readFileSync(path.join(root, 'examples/acme', f), 'utf8') }));
  const applied = await api('POST', '/v1/apply', { files });
  if (!applied.created) throw new Error(`apply failed: ${JSON.stringify(applied)}`);
  return {
    url,
    api,
    /** The server's resident memory, from its own /metrics. */
    rssMb: async () =>
      Number(/fulcrum_process_resident_memory_bytes (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1]) / 2 ** 20,
    stop() {
      server.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The server's own clocks, from one read of its /metrics: for each `key: 'histogram{labels}'` (the
 * labels as /metrics prints them, or none), that histogram's sum and count now (0 for a series it has
 * not written yet); and `value`, any other series of that read. Read before and after a slice, the
 * differences (addGrowth) say where the slice's time went. startFulcrum's server renders each read
 * afresh (FULCRUM_METRICS_CACHE_MS=0 unless set): with a cache, a read could be a slice behind.
 */
export async function serverClocks(url, histograms) {
  const lines = new Map(
    (await (await fetch(`${url}/metrics`)).text()).split('\n').map((l) => [l.slice(0, l.lastIndexOf(' ')), l]),
  );
  const value = (series) => Number(lines.get(series)?.slice(series.length + 1) ?? 0);
  const clocks = {};
  for (const [k, series] of Object.entries(histograms)) {
    const at = series.indexOf('{');
    const [name, labels] = at < 0 ? [series, ''] : [series.slice(0, at), series.slice(at)];
    clocks[k] = { sum: value(`${name}_sum${labels}`), count: value(`${name}_count${labels}`) };
  }
  return { clocks, value };
}

/** Adds to each of `into`'s clocks what it grew by from `before` to `after` (serverClocks' clocks). */
export function addGrowth(into, before, after) {
  for (const k of Object.keys(into)) {
    into[k].sum += after[k].sum - before[k].sum;
    into[k].count += after[k].count - before[k].count;
  }
}

/**
 * An allowed tool call of the example's support-bot-eu, with a key issued to it now: the decision
 * bench/decide and bench/audit-verify send (autocannon's and fetch's options alike: url, method,
 * headers, body).
 */
export async function allowedDecision({ url, api }) {
  const { key } = await api('POST', '/v1/agents/support-bot-eu/keys', {});
  return {
    key,
    url: `${url}/v1/decisions`,
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      action: 'tool.call',
      tool: 'crm.lookup_customer',
      arguments: { customerId: 'C-1042' },
      dataDomains: ['customer-profiles'],
    }),
  };
}
