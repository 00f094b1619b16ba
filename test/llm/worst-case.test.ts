// The worst case a call is reserved at covers what the provider bills (found by review): the output
// bound is sent in the member the endpoint reads, embeddings are not capped by the context window
// (that bounds each input), and compaction, a step the output limit does not bound, is refused under a
// limit and charged in full (usage.iterations) where none applies.
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/server.js';
import { until } from '../support/wait.js';
import { costOf, limitedAgent, limitStatus, llmBundle, PRICE, SECRET_ENV, useLlmStack } from './fixture.js';
import { sse } from './scripted-upstream.js';

const AGENTS: Array<[string, number, ('block' | 'alert')?]> = [
  ['wc-maxtok', 0.005],
  ['wc-emb', 0.002],
  ['wc-compact', 1],
  // No blocking limit: nothing to bound the call against, so it is forwarded, and counted.
  ['wc-alert', 1, 'alert'],
];

function extra(upstreamUrl: string) {
  const pricing = `[{ from: "2020-01-01", currency: USD, inputPerMillion: ${PRICE.input}, outputPerMillion: ${PRICE.output} }]`;
  return `${AGENTS.map(([name, usd, enforce]) => limitedAgent(name, usd, enforce)).join('\n')}
apiVersion: fulcrum/v1
kind: ModelEndpoint
metadata: { name: openai-maxtok }
spec:
  api: openai
  baseUrl: ${upstreamUrl}/v1
  credential: { env: ${SECRET_ENV} }
  timeoutMs: 20000
  outputLimit: max_tokens
---
apiVersion: fulcrum/v1
kind: Model
metadata: { name: wc-maxtok }
spec:
  provider: openai
  hosting: vendor
  regions: [eu-west-1]
  status: approved
  maxClassification: confidential
  pricing: ${pricing}
  endpoint: openai-maxtok
  upstreamName: wc-maxtok-up
  maxOutputTokens: 1000
---
apiVersion: fulcrum/v1
kind: Model
metadata: { name: wc-embed }
spec:
  provider: openai
  hosting: vendor
  regions: [eu-west-1]
  status: approved
  maxClassification: confidential
  pricing: ${pricing}
  endpoint: openai-local
  upstreamName: wc-embed-up
  contextWindow: 512
---
`;
}

/** An Anthropic answer that compacted its context: a summary step, then the answer on the summary. The
 *  top level is the last step alone; `usage.iterations` lists both, and both are billed. */
const COMPACTED = {
  input_tokens: 2300,
  output_tokens: 100,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
  iterations: [
    { type: 'compaction', input_tokens: 18000, output_tokens: 350, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    { type: 'message', input_tokens: 2300, output_tokens: 100, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  ],
};
const COMPACTED_COST = costOf({ input: 18000 + 2300, output: 350 + 100 });

describe('LLM gateway: the worst case covers the bill', () => {
  const llm = useLlmStack('sqlite', {
    scripted: true,
    bundle: (upstream) =>
      llmBundle(upstream, extra(upstream)).map((f) =>
        f.path === 'llm.yaml'
          ? { ...f, content: f.content.replace('models: [gw-chat,', 'models: [wc-maxtok, wc-embed, gw-chat,') }
          : f,
      ),
  });
  const keys: Record<string, string> = {};
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  const post = (name: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${llm.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys[name]}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  /** The agent's limit once its calls are settled. */
  const settled = async (name: string) => {
    let s = await limitStatus(llm.t.server, `${name}-daily`);
    await until(async () => {
      s = await limitStatus(llm.t.server, `${name}-daily`);
      return s.reservedUsd === 0 && s.calls > 0;
    }, 'reservations to settle');
    return s;
  };

  beforeAll(async () => {
    keys['llm-bot'] = llm.key;
    for (const [name] of AGENTS) {
      const r = await llm.t.server.inject({ method: 'POST', url: `/v1/agents/${name}/keys`, headers: admin });
      expect(r.statusCode, r.body).toBe(201);
      keys[name] = r.json().key;
    }
  });

  it('sends the bound a call names in the member the endpoint reads (outputLimit), so its spend stays within the limit', async () => {
    // An OpenAI-compatible server that reads only max_tokens (why the operator set outputLimit):
    // sent none, it writes to its own default (here 5,000 tokens).
    llm.sc.scripts.set('wc-maxtok-up', (_req, body, res) => {
      const output = typeof body.max_tokens === 'number' ? body.max_tokens : 5000;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-x',
          object: 'chat.completion',
          created: 1,
          model: 'wc-maxtok-up',
          choices: [{ index: 0, message: { role: 'assistant', content: 'tok '.repeat(output) }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 20, completion_tokens: output, total_tokens: 20 + output },
        }),
      );
    });
    const openai = new OpenAI({ baseURL: `${llm.url}/llm/openai/v1`, apiKey: keys['wc-maxtok'], maxRetries: 0 });
    // The client bounds its output with OpenAI's current member: 10 tokens of output are reserved.
    const r = await openai.chat.completions.create({
      model: 'wc-maxtok',
      max_completion_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(r.choices).toHaveLength(1);
    // Sent as the member the endpoint reads, and only it; 5,000 tokens (0.01 USD) would pass the limit.
    const sent = llm.sc.received.at(-1)?.body ?? {};
    expect({ max_tokens: sent.max_tokens, max_completion_tokens: sent.max_completion_tokens }).toEqual({
      max_tokens: 10,
      max_completion_tokens: undefined,
    });
    const s = await settled('wc-maxtok');
    expect(s.spentUsd).toBeCloseTo(costOf({ input: 20, output: 10 }), 9);
    expect(s.spentUsd).toBeLessThanOrEqual(s.limitUsd);

    // Both members sent: the larger is what was reserved, and what is sent. To an endpoint that reads
    // max_completion_tokens (the default, OpenAI's), the bound goes as that member alone: OpenAI
    // refuses a call that sets both.
    llm.sc.received.length = 0;
    const both = await post('llm-bot', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      max_tokens: 7,
      max_completion_tokens: 3,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(both.status, await both.text()).toBe(200);
    const asDefault = llm.sc.received.at(-1)?.body ?? {};
    expect({ max_tokens: asDefault.max_tokens, max_completion_tokens: asDefault.max_completion_tokens }).toEqual({
      max_tokens: undefined,
      max_completion_tokens: 7,
    });
  });

  it("does not cap an embeddings call with many inputs at the Model's contextWindow (that bounds each input)", async () => {
    // 40 inputs of ~100 tokens each: each far under the 512-token window, 4,000 tokens in all.
    llm.up.behave('wc-embed-up', { inputTokens: 4000 });
    const input = Array.from({ length: 40 }, (_, i) => `${i} ${'lorem ipsum dolor sit amet '.repeat(18)}`);
    const r = await post('wc-emb', '/llm/openai/v1/embeddings', { model: 'wc-embed', input });
    // Its body bounds it (over 4,000 bytes): 0.004 USD and more, past the 0.002 USD limit (capped at
    // the window, 512 tokens, it was admitted and billed 0.004 USD).
    expect(r.status).toBe(429);
    expect((await r.json()).error.code).toBe('spend_limit_exceeded');
    expect(llm.sc.received).toHaveLength(0);
    // One input, within the limit, goes through.
    llm.up.behave('wc-embed-up', { inputTokens: 3 });
    const one = await post('wc-emb', '/llm/openai/v1/embeddings', { model: 'wc-embed', input: 'hello' });
    expect(one.status, await one.text()).toBe(200);
    const s = await settled('wc-emb');
    expect(s.spentUsd).toBeCloseTo(costOf({ input: 3, output: 0 }), 9);
  });

  it('refuses compaction under a limit: the summary step is sampled past the output limit', async () => {
    const history = [{ role: 'user', content: 'long conversation' }];
    const beta = { 'anthropic-beta': 'compact-2026-01-12' };
    const refused = [
      [
        '/llm/anthropic/v1/messages',
        { model: 'gw-claude', max_tokens: 100, messages: history, context_management: { edits: [{ type: 'compact_20260112' }] } },
      ],
      [
        '/llm/anthropic/v1/messages',
        { model: 'gw-claude', max_tokens: 100, messages: history, compaction: { type: 'summarize' } },
      ],
      [
        '/llm/openai/v1/responses',
        {
          model: 'gw-chat',
          max_output_tokens: 100,
          input: 'hi',
          context_management: [{ type: 'compaction', compact_threshold: 1000 }],
        },
      ],
      [
        '/llm/openai/v1/responses',
        { model: 'gw-chat', max_output_tokens: 100, input: [{ role: 'user', content: 'hi' }, { type: 'compaction_trigger' }] },
      ],
    ] as const;
    for (const [path, body] of refused) {
      const r = await post('wc-compact', path, body, beta);
      const text = await r.text();
      expect(r.status, text).toBe(400);
      const json = JSON.parse(text);
      // In the API's own format.
      if (path.includes('anthropic')) expect(json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      expect(json.error.code).toBe('cost_unbounded');
      expect(json.error.message).toMatch(/runs compaction \(.*\) within this call as a summary of the conversation/);
      expect(json.error.message).toMatch(/summarise the conversation yourself, in a call of its own/);
    }
    expect(llm.sc.received).toHaveLength(0);
    // The other edits only clear input: forwarded.
    const cleared = await post(
      'wc-compact',
      '/llm/anthropic/v1/messages',
      {
        model: 'gw-claude',
        max_tokens: 100,
        messages: history,
        context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      },
      { 'anthropic-beta': 'context-management-2025-06-27' },
    );
    expect(cleared.status, await cleared.text()).toBe(200);
  });

  it('charges a call that compacted its context for every step it lists in usage.iterations, whole and streamed', async () => {
    llm.sc.scripts.set('gw-claude', (_req, body, res) => {
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const { iterations: _, ...top } = COMPACTED;
        sse(
          res,
          {
            type: 'message_start',
            message: { id: 'msg_s', type: 'message', role: 'assistant', model: 'gw-claude', usage: { ...top, output_tokens: 1 } },
          },
          'message_start',
        );
        sse(
          res,
          { type: 'content_block_start', index: 0, content_block: { type: 'compaction', content: '' } },
          'content_block_start',
        );
        sse(
          res,
          { type: 'content_block_delta', index: 0, delta: { type: 'compaction_delta', content: 'Summary: …' } },
          'content_block_delta',
        );
        sse(res, { type: 'content_block_stop', index: 0 }, 'content_block_stop');
        sse(res, { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: COMPACTED }, 'message_delta');
        sse(res, { type: 'message_stop' }, 'message_stop');
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'msg_compact',
          type: 'message',
          role: 'assistant',
          model: 'gw-claude',
          content: [
            { type: 'compaction', content: 'Summary of the conversation: …' },
            { type: 'text', text: 'ok' },
          ],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: COMPACTED,
        }),
      );
    });
    const call = (stream: boolean) =>
      post(
        'wc-alert',
        '/llm/anthropic/v1/messages',
        {
          model: 'gw-claude',
          max_tokens: 1000,
          stream,
          messages: [{ role: 'user', content: 'and now?' }],
          context_management: { edits: [{ type: 'compact_20260112' }] },
        },
        { 'anthropic-beta': 'compact-2026-01-12' },
      );
    const whole = await call(false);
    expect(whole.status, await whole.text()).toBe(200);
    // Billed: (18,000 + 2,300) input and (350 + 100) output, not the last step alone.
    expect((await settled('wc-alert')).spentUsd).toBeCloseTo(COMPACTED_COST, 9);
    const streamed = await call(true);
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toContain('message_stop');
    await until(async () => (await limitStatus(llm.t.server, 'wc-alert-daily')).calls === 2, 'the second call');
    expect((await settled('wc-alert')).spentUsd).toBeCloseTo(2 * COMPACTED_COST, 9);
  });
});
