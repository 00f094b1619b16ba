// Shared by bench/llm: the tests' fake model provider (test/llm/upstream.ts, compiled with esbuild)
// in its own process on 127.0.0.1, other children (the peer gateway), and Fulcrum set up to call the
// provider: an endpoint, priced models, an agent allowed to call them, a SpendLimit on that agent.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { root } from '../lib.mjs';

const children = [];
let tmp;

/** Starts a child process; resolves with the first match group of `ready` in its output. */
export function child(args, ready, env = {}) {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    const look = (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve(m[1]);
    };
    proc.stdout.on('data', look);
    proc.stderr.on('data', look);
    proc.on('exit', (c) => reject(new Error(`${args.join(' ')} exited ${c}: ${out}`)));
  });
}

/** The fake provider in its own process (upstream-child.mjs; `env` reaches it); its base URL. */
export async function startProvider(env = {}) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-bench-llm-'));
  const compiled = path.join(tmp, 'upstream.mjs');
  await build({
    entryPoints: [path.join(root, 'test/llm/upstream.ts')],
    outfile: compiled,
    platform: 'node',
    format: 'esm',
    bundle: false,
  });
  const port = await child([path.join(import.meta.dirname, 'upstream-child.mjs'), compiled], /LOOPBACK_PORT=(\d+)/, env);
  return `http://127.0.0.1:${port}`;
}

/** Stops every child and removes the compiled provider. */
export function stopChildren() {
  for (const c of children) c.kill('SIGTERM');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

/** The provider's credential, bound to its origin, as an operator sets it (before Fulcrum starts). */
export function bindProviderSecret(upstream) {
  process.env.FULCRUM_SECRET_BENCH_LLM = 'sk-bench';
  process.env.FULCRUM_SECRET_BENCH_LLM_ORIGINS = upstream;
}

/**
 * On a started Fulcrum: the endpoint `bench-openai` on the provider, `models` (name → Model spec
 * fields beyond the common ones), the archetype `llm-bench` with them, the agent `llm-bench-bot`
 * and the SpendLimit `llm-bench` on it. Returns the agent's key.
 */
export async function setUpAgent(fulcrum, upstream, models) {
  const put = async (plural, name, spec) => {
    const r = await fulcrum.api('PUT', `/v1/${plural}/${name}`, { apiVersion: 'fulcrum/v1', metadata: { name }, spec });
    if (r.error) throw new Error(`PUT ${plural}/${name}: ${JSON.stringify(r.error)}`);
  };
  await put('model-endpoints', 'bench-openai', {
    api: 'openai',
    baseUrl: `${upstream}/v1`,
    credential: { env: 'FULCRUM_SECRET_BENCH_LLM' },
  });
  for (const [name, more] of Object.entries(models))
    await put('models', name, {
      provider: 'openai',
      hosting: 'vendor',
      regions: ['eu-west-1'],
      status: 'approved',
      maxClassification: 'internal',
      pricing: [{ from: '2020-01-01', currency: 'USD', inputPerMillion: 1, outputPerMillion: 2 }],
      endpoint: 'bench-openai',
      ...more,
    });
  await put('archetypes', 'llm-bench', { tools: [], dataDomains: [], models: Object.keys(models), autonomy: 'autonomous' });
  await put('agents', 'llm-bench-bot', { initiative: 'support-deflection', archetype: 'llm-bench', owner: 'omar.haddad' });
  await put('spend-limits', 'llm-bench', { scope: { agent: 'llm-bench-bot' }, period: 'day', amountUsd: 1000000 });
  return (await fulcrum.api('POST', '/v1/agents/llm-bench-bot/keys', {})).key;
}
