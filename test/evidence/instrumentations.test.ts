// The compatibility suite (docs/evidence.md "Instrumentations"): the real GenAI instrumentation
// packages, each in its own process, call a local OpenAI-compatible server (chat, a stream with
// usage, a tool call and its follow-up, a cache hit) and export to a running Fulcrum. Each is booked
// to its own agent; the test checks model, tokens and cost per call, and that what an
// instrumentation does not send shows up as an unpriced call with its reason, never as $0.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { CHILD_NODE, CHILD_NODE_MAJOR } from '../support/process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { RESPONSE_MODEL, SCENARIOS, type Scenario, startOpenAiServer } from './fixtures/openai-server.js';

const exec = promisify(execFile);
const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');

const CALLS: Scenario[] = ['chat', 'stream', 'tools', 'tool-result', 'cache'];

/** What each instrumentation sends, as its code reads (docs/evidence.md's table says the same). */
const CASES = [
  { name: 'otel', agent: 'otel-openai-bot', script: 'instrumented-openai.cjs', noUsage: [], cache: false, toolSpans: 0 },
  // Its stream wrapper drops the usage chunk (and estimates tokens only with enrichTokens).
  {
    name: 'traceloop',
    agent: 'traceloop-bot',
    script: 'instrumented-openai.cjs',
    noUsage: ['stream'],
    cache: false,
    toolSpans: 0,
  },
  // Its stream wrapper records no usage either.
  {
    name: 'openinference',
    agent: 'openinference-bot',
    script: 'instrumented-openai.cjs',
    noUsage: ['stream'],
    cache: true,
    toolSpans: 0,
  },
  { name: 'ai-sdk', agent: 'ai-sdk-bot', script: 'instrumented-ai-sdk.mjs', noUsage: [], cache: true, toolSpans: 1 },
  // AI SDK 7 (ai 7 + @ai-sdk/otel) needs Node.js 22: it runs in the suite's Node 24 run (.ci/run).
  {
    name: 'ai-sdk-7',
    agent: 'ai-sdk-7-bot',
    script: 'instrumented-ai-sdk7.mjs',
    noUsage: [],
    cache: true,
    toolSpans: 1,
    minNode: 22,
  },
] as const;
const runnable = (c: (typeof CASES)[number]) => !('minNode' in c) || CHILD_NODE_MAJOR >= c.minNode;

// gpt-4o-mini in test/fixtures/mini: 0.15 input, 0.075 cached input, 0.6 output, USD per million.
const cost = (input: number, output: number, cached: number) => ((input - cached) * 0.15 + cached * 0.075 + output * 0.6) / 1e6;

describe.each(ENGINES)('GenAI instrumentations exporting to Fulcrum on %s', (engine) => {
  let t: TestServer;
  let fulcrum: string;
  let openai: Awaited<ReturnType<typeof startOpenAiServer>>;
  const keys = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestServer(engine);
    const files = [
      ...readBundle(MINI),
      { path: 'instrumentations.yaml', content: fs.readFileSync(path.join(FIXTURES, 'instrumentations.yaml'), 'utf8') },
    ];
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
    for (const c of CASES) keys.set(c.agent, (await t.request({ method: 'POST', url: `/v1/agents/${c.agent}/keys` })).json().key);
    fulcrum = await t.server.listen({ host: '127.0.0.1', port: 0 });
    openai = await startOpenAiServer();
  });
  afterAll(async () => {
    await openai?.close();
    await t?.close();
  });

  // A case its Node.js cannot run is reported as skipped (AI SDK 7 on Node 20), not left out.
  for (const c of CASES)
    (runnable(c) ? it : it.skip)(
      `${c.name}: every call is counted, priced from its tokens or unpriced with the reason`,
      async () => {
        const before = openai.calls.length;
        await exec(CHILD_NODE, [path.join(FIXTURES, c.script), c.name], {
          env: {
            ...process.env,
            OPENAI_BASE_URL: openai.url,
            FULCRUM_OTLP_URL: `${fulcrum}/otlp/v1/traces`,
            FULCRUM_KEY: keys.get(c.agent),
          },
          timeout: 60_000,
        });
        expect(openai.calls.slice(before).map((x) => x.scenario)).toEqual(CALLS);

        const rows = await t.app.database.db
          .selectFrom('spans')
          .selectAll()
          .where('agent', '=', c.agent)
          .orderBy('seq')
          .execute();
        const inference = rows.filter((r) => r.operation === 'chat');
        expect(inference, JSON.stringify(rows.map((r) => [r.name, r.operation]))).toHaveLength(CALLS.length);
        let expectedCost = 0;
        for (const [i, scenario] of CALLS.entries()) {
          const r = inference[i];
          const u = SCENARIOS[scenario];
          const noUsage = (c.noUsage as readonly string[]).includes(scenario);
          const cached = c.cache ? u.cached : 0;
          expect(r, scenario).toMatchObject({ model: 'gpt-4o-mini', agent: c.agent, sent_by: `agent:${c.agent}` });
          expect(r?.model_reported === RESPONSE_MODEL || r?.model_reported === 'gpt-4o-mini', scenario).toBe(true);
          if (noUsage) {
            expect(r, scenario).toMatchObject({
              input_tokens: null,
              output_tokens: null,
              cost_usd: null,
              unpriced_reason: 'no_usage',
            });
            continue;
          }
          expect(r, scenario).toMatchObject({ input_tokens: u.prompt, output_tokens: u.completion, unpriced_reason: null });
          expect(r?.cached_tokens ?? 0, scenario).toBe(cached);
          expect(r?.cost_usd, scenario).toBeCloseTo(cost(u.prompt, u.completion, cached), 12);
          expectedCost += cost(u.prompt, u.completion, cached);
        }
        expect(rows.filter((r) => r.operation === 'execute_tool').map((r) => r.tool)).toEqual(
          c.toolSpans ? ['lookup_customer'] : [],
        );

        const byAgent = (await t.request({ method: 'GET', url: '/v1/costs?groupBy=agent' })).json().rows;
        const priced = CALLS.filter((s) => !(c.noUsage as readonly string[]).includes(s));
        expect(byAgent.find((r: { key: string }) => r.key === c.agent)).toEqual({
          key: c.agent,
          costUsd: expect.closeTo(expectedCost, 5), // /v1/costs rounds to micro-dollars
          inputTokens: priced.reduce((n, s) => n + SCENARIOS[s].prompt, 0),
          outputTokens: priced.reduce((n, s) => n + SCENARIOS[s].completion, 0),
          calls: CALLS.length,
          unpricedCalls: c.noUsage.length,
          unpriced: { unknownModel: 0, noPrice: 0, noUsage: c.noUsage.length, serviceTier: 0 },
        });
        const daily = await t.app.database.db.selectFrom('evidence_daily').selectAll().where('agent', '=', c.agent).execute();
        expect(daily.reduce((n, d) => n + d.tool_calls, 0)).toBe(c.toolSpans);

        const unpriced = (await t.request({ method: 'GET', url: '/v1/signals' })).json().unpricedModelCalls;
        const mine = unpriced.filter((u: { agent: string }) => u.agent === c.agent);
        expect(mine).toEqual(
          c.noUsage.length
            ? [
                {
                  agent: c.agent,
                  model: 'gpt-4o-mini',
                  calls: c.noUsage.length,
                  reasons: { unknownModel: 0, noPrice: 0, noUsage: c.noUsage.length, serviceTier: 0 },
                  lastDay: expect.any(String),
                },
              ]
            : [],
        );
      },
    );
});
