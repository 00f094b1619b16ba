// `fulcrum demo` as a user runs it: a real server process, examples/acme, 90 days replayed through the
// API. The diagnostic and the API must then tell the demo's story: initiatives that measurably win,
// a stalled pilot, a shadow agent, a monitor that fires (and its kill switch), governance in motion.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, call, cli } from '../support/process.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-demo-test-'));

type Area = { area: string; status: string; evidence: Array<{ label: string; value: string | number }> };
const evidence = (a: Area | undefined, label: string) => String(a?.evidence.find((e) => e.label.startsWith(label))?.value);

describe('fulcrum demo (90 days, seed 42)', () => {
  let proc: ChildProcess;
  let url: string;
  let stdout = '';
  let stderr = '';
  const dataDir = tmp();
  let token: string;

  beforeAll(async () => {
    proc = spawn(BIN, ['demo', '--seed', '42', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stderr?.on('data', (d) => {
      stderr += d;
    });
    url = await new Promise<string>((resolve, reject) => {
      proc.stdout?.on('data', (d) => {
        stdout += d;
        const m = /Fulcrum is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m) resolve(m[1] as string);
      });
      proc.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${stdout}\n${stderr}`)));
    });
    token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  }, 180_000);

  afterAll(async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGINT');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints what it replayed, the admin token and the scorecard, with progress on stderr', () => {
    expect(stdout).toMatch(
      /Replayed in [\d.]+ s: \d+ guard decisions \(\d+ human approvals\), \d+ OTLP spans, \d+ task events, 20 spend lines\./,
    );
    expect(stdout).toContain(`admin token: ${token}`);
    expect(stdout).toContain('Verdict: AT-RISK');
    expect(stderr).toMatch(/100%\s+day 90\/90/);
  });

  it('diagnose --json tells the story: outcomes win, gaps in agents, data, governance and budget', async () => {
    const out = await cli({ ...process.env, FULCRUM_URL: url, FULCRUM_TOKEN: token }, 'diagnose', '--json');
    expect(out.code).toBe(0);
    const d = JSON.parse(out.stdout) as { verdict: string; areas: Area[] };
    const area = (n: string) => d.areas.find((a) => a.area === n);
    expect(d.verdict).toBe('at-risk');
    expect(Object.fromEntries(d.areas.map((a) => [a.area, a.status]))).toEqual({
      outcomes: 'pass',
      agents: 'partial',
      'data-infrastructure': 'partial',
      governance: 'partial',
      'operating-model': 'pass',
      budget: 'partial',
    });
    expect(evidence(area('outcomes'), 'with a measured outcome')).toBe('7');
    expect(evidence(area('agents'), 'shadow agents')).toContain('marketing-copy-gpt');
    expect(evidence(area('agents'), 'ad-hoc')).toBe('deal-desk-gpt');
    expect(evidence(area('governance'), 'untiered')).toBe('sales-pipeline-copilot');
    expect(evidence(area('budget'), 'spend on pilots older than 180 days')).toBe('invoice-matching');
  });

  it('the winners measurably win and the stalled pilot does not', async () => {
    const outcomes = async (i: string) =>
      (await call(url, token, 'GET', `/v1/initiatives/${i}/outcomes`)).json.metrics as Array<{
        name: string;
        provenance: string;
        progress: number;
      }>;
    const support = await outcomes('support-deflection');
    const resolved = support.find((m) => m.name === 'contacts resolved without a human');
    expect(resolved?.provenance).toBe('measured');
    expect(resolved?.progress).toBeGreaterThanOrEqual(1);
    const invoice = await outcomes('invoice-matching');
    expect(invoice.find((m) => m.name === 'touchless match rate')?.progress).toBeLessThan(0.5);
    const signals = (await call(url, token, 'GET', '/v1/signals')).json;
    expect(signals.stalledPilots.map((p: { initiative: string }) => p.initiative)).toEqual(['invoice-matching']);
    // The shadow bot's spans came through sales-ops' collector, which does not list it: booked to no agent.
    expect(signals.attributionMismatches).toEqual([
      expect.objectContaining({ sentBy: 'collector:sales-otel-collector', claimedAgent: 'marketing-copy-gpt', bookedTo: null }),
    ]);
  });

  it('the attack trips the sev1 monitor, whose kill switch suspends the bot; the shadow agent opens its own', async () => {
    const incidents = (await call(url, token, 'GET', '/v1/incidents')).json.items as Array<{
      title: string;
      severity: string;
      agents: string[];
    }>;
    const spike = incidents.find((i) => i.title.startsWith('support-eu-deny-spike'));
    expect(spike?.severity).toBe('sev1');
    expect(spike?.agents).toEqual(['support-bot-eu']);
    expect(incidents.some((i) => i.title.startsWith('shadow-ai'))).toBe(true);
    const next = await call(url, token, 'POST', '/v1/decisions/simulate', {
      agent: 'support-bot-eu',
      request: { action: 'tool.call', tool: 'kb.search', arguments: { query: 'returns' } },
    });
    expect(next.json.decision).toBe('deny');
  });

  it('governance moved during the quarter: a promotion went through, another waits for legal', async () => {
    const reviews = (await call(url, token, 'GET', '/v1/reviews')).json.items as Array<{
      initiative: string;
      status: string;
      to: string;
    }>;
    expect(reviews.find((r) => r.initiative === 'it-self-healing')).toMatchObject({ status: 'approved', to: 'scaled' });
    expect(reviews.find((r) => r.initiative === 'identity-threat-response')).toMatchObject({ status: 'open', to: 'production' });
    const approvals = (await call(url, token, 'GET', '/v1/approvals?status=used')).json.items;
    expect(approvals.length).toBeGreaterThan(50);
  });

  it("answers every documented read on the demo's data as its OpenAPI document says", async () => {
    type Parameter = { in: string; name: string; schema: { enum?: string[] } };
    type Responses = Record<string, { content?: Record<string, { schema: object }> }>;
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
      paths: Record<string, { get?: { parameters?: Parameter[]; responses: Responses } }>;
      components: { schemas: Record<string, object> };
    };
    // The document's own schemas, as a client generated from it reads the answers.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
    const get = async (p: string) => {
      const res = await fetch(url + p, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
    };
    const wrong: string[] = [];
    let read = 0;
    for (const [template, item] of Object.entries(doc.paths)) {
      if (!item.get) continue;
      // A path's object: the first its collection lists (`/v1/agents/{name}` → the first of `/v1/agents`).
      let p = template;
      for (const param of (item.get.parameters ?? []).filter((x) => x.in === 'path')) {
        const list = await get(p.slice(0, p.indexOf(`/{${param.name}}`)));
        const first = list.status === 200 ? (JSON.parse(list.body).items?.[0] as Record<string, any> | undefined) : undefined;
        const id = first?.metadata?.name ?? first?.name ?? first?.id;
        p = p.replace(`{${param.name}}`, encodeURIComponent(id ?? 'none-in-the-demo'));
      }
      // Each value of a query parameter that has a few (the report's formats, the costs' groupings).
      const choices = (item.get.parameters ?? []).filter((x) => x.in === 'query' && x.schema.enum);
      const urls = [p, ...choices.flatMap((c) => (c.schema.enum ?? []).map((v) => `${p}?${c.name}=${v}`))];
      for (const u of urls) {
        const answer = await get(u);
        const documented = item.get.responses[String(answer.status)];
        if (!documented) {
          wrong.push(`GET ${u}: ${answer.status}, a status its document does not name: ${answer.body.slice(0, 200)}`);
          continue;
        }
        if (answer.status === 200) read++;
        const schema = documented.content?.['application/json']?.schema;
        if (!schema || !answer.type.startsWith('application/json')) continue;
        const valid = ajv.compile(schema);
        if (!valid(JSON.parse(answer.body)))
          wrong.push(`GET ${u}: ${answer.status} ${ajv.errorsText(valid.errors).slice(0, 300)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(read).toBeGreaterThan(70);
  }, 120_000);

  it('stops the server it started on Ctrl-C', async () => {
    const exited = new Promise<number | null>((r) => proc.once('exit', r));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('fulcrum demo replays deterministically', () => {
  const run = async (seed: string) => {
    const dir = tmp();
    const out = await cli(
      process.env,
      'demo',
      '--seed',
      seed,
      '--days',
      '4',
      '--port',
      '0',
      '--data-dir',
      dir,
      '--exit-after-replay',
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(out.code, out.stderr).toBe(0);
    // Everything but the elapsed time and the per-run addresses and secrets.
    return out.stdout
      .replace(/Replayed in [\d.]+ s/, 'Replayed')
      .replace(/inc_[\w-]+/g, 'inc_…')
      .split('\nFulcrum is running at')[0] as string;
  };

  it('the same seed gives the same activity and scorecard; another seed does not', async () => {
    const a = await run('9');
    expect(await run('9')).toBe(a);
    expect(await run('10')).not.toBe(a);
  }, 120_000);

  it('refuses a data directory that is not empty', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'keep'), 'x');
    const out = await cli(process.env, 'demo', '--data-dir', dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`--data-dir ${dir} is not empty`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
