// The LLM gateway against requests and providers that try to get a call past its spend limits or its
// decision (found by attacking it): every choice reserved, stored input unmeasured, the forwarded bytes
// bound the input, every kind of delta and the provider's own usage charged, a reset call charged,
// models named inside tools refused. Real server, the fake provider, and a scripted one in front of it.

import { getEncoding } from 'js-tiktoken';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  applyAndKey,
  clientChatSpan,
  costOf,
  limitedAgent,
  limitStatus,
  llmBundle,
  type ScriptedStack,
  startScriptedStack,
  UPSTREAM_SECRET,
} from '../llm/fixture.js';
import { type Scripted, sleep, sse } from '../llm/scripted-upstream.js';
import type { FakeUpstream } from '../llm/upstream.js';
import { ADMIN_TOKEN, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const o200k = getEncoding('o200k_base');

const AGENTS = [
  'atk-n',
  'atk-ref',
  'atk-num',
  'atk-otlp',
  'atk-ids',
  'atk-reason',
  'atk-fn',
  'atk-anth',
  'atk-reset',
  'atk-nousage',
  'atk-steps',
];
const LIMIT_USD = 0.01;
const AMOUNT: Record<string, number> = { 'atk-reason': 1 };
const EXTRA = `${AGENTS.map((a) => limitedAgent(a, AMOUNT[a] ?? LIMIT_USD)).join('\n')}
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: atk-tpm }
spec:
  initiative: support-deflection
  archetype: llm-caller
  owner: dana.lee
  rateLimits: { tokensPerMinute: 5000 }
---`;

describe('LLM gateway under attack (sqlite)', () => {
  let stack: ScriptedStack;
  let t: TestServer;
  let up: FakeUpstream;
  let sc: Scripted;
  let url: string;
  const keys: Record<string, string> = {};
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  const post = (agent: string, path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys[agent]}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  /** The agent's limit once nothing is held. */
  const settled = async (agent: string) => {
    let s = await limitStatus(t.server, `${agent}-daily`);
    await until(async () => {
      s = await limitStatus(t.server, `${agent}-daily`);
      return s.reservedUsd === 0;
    }, 'reservations to settle');
    return s;
  };
  /** The agent's inference spans, as the evidence store holds them. */
  const spans = async (agent: string) => {
    await t.server.llmGateway.flush();
    return t.app.database.db
      .selectFrom('spans')
      .select(['source', 'response_id', 'input_tokens', 'output_tokens', 'cost_usd'])
      .where('agent', '=', agent)
      .execute();
  };

  beforeAll(async () => {
    stack = await startScriptedStack();
    ({ t, up, sc, url } = stack);

    keys['llm-bot'] = await applyAndKey(t.server, llmBundle(sc.url, EXTRA));
    for (const a of [...AGENTS, 'atk-tpm']) {
      const r = await t.server.inject({ method: 'POST', url: `/v1/agents/${a}/keys`, headers: admin });
      expect(r.statusCode, r.body).toBe(201);
      keys[a] = r.json().key;
    }
  });
  afterAll(async () => stack?.close());
  afterEach(() => stack.reset());

  it('reserves every choice of a chat call with n > 1 and no max_tokens, so the limit refuses it', async () => {
    // A provider honours max_completion_tokens (1000, injected) per choice: 8 choices → up to 8000 tokens.
    up.behave('upstream-chat', { inputTokens: 20, outputTokens: 8000 });
    const r = await post('atk-n', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      n: 8,
      messages: [{ role: 'user', content: 'write a long story' }],
    });
    // The worst case is 8 choices of the model's 1,000 tokens: more than the 0.01 USD limit admits.
    expect(r.status).toBe(429);
    expect((await r.json()).error.code).toBe('spend_limit_exceeded');
    expect(sc.received).toHaveLength(0);
  });

  it('counts Responses item_reference input as unmeasured, as previous_response_id is', async () => {
    // previous_response_id is refused under a blocking limit on a Model without contextWindow...
    const prev = await post('atk-ref', '/llm/openai/v1/responses', {
      model: 'gw-chat',
      previous_response_id: 'resp_abc',
      input: 'continue',
      max_output_tokens: 10,
    });
    expect(prev.status).toBe(400);
    expect((await prev.json()).error.code).toBe('cost_unbounded');
    // ...but item_reference reads stored items the same way and is admitted on its ~100 body bytes.
    up.behave('upstream-chat', { inputTokens: 50_000, outputTokens: 10 });
    const ref = await post('atk-ref', '/llm/openai/v1/responses', {
      model: 'gw-chat',
      input: [{ type: 'item_reference', id: 'msg_0123456789' }],
      max_output_tokens: 10,
    });
    expect(ref.status).toBe(400);
    const error = (await ref.json()).error;
    expect(error.code).toBe('cost_unbounded');
    expect(error.message).toMatch(/item_reference/);
  });

  it('bounds the input by the bytes it forwards, not the bytes the client sent', async () => {
    // The estimator counts the client's bytes ("1e20" = 4); the provider gets JSON.stringify's
    // "100000000000000000000" (21), which is 7 o200k tokens. Here in a tool's parameter schema.
    const N = 1300;
    const raw = `{"model":"gw-chat","max_tokens":10,"messages":[{"role":"user","content":"pick"}],"tools":[{"type":"function","function":{"name":"pick","parameters":{"type":"object","properties":{"v":{"type":"number","enum":[${Array(N).fill('1e20').join(',')}]}}}}}]}`;
    sc.scripts.set('upstream-chat', (_req, _body, res) => {
      // The provider reports the prompt's tokens: at least those of the forwarded body's text.
      const forwarded = sc.received.at(-1)?.raw ?? '';
      const tokens = o200k.encode(forwarded).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-num',
          object: 'chat.completion',
          created: 1,
          model: 'upstream-chat',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: tokens, completion_tokens: 1, total_tokens: tokens + 1 },
        }),
      );
    });
    const r = await fetch(`${url}/llm/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys['atk-num']}`, 'content-type': 'application/json' },
      body: raw,
    });
    // The forwarded body (1e20 written out) is over three times the client's: its bound is over the limit.
    expect(r.status).toBe(429);
    expect(sc.received).toHaveLength(0);
  });

  it('charges a cut stream for its legacy function_call deltas', async () => {
    sc.scripts.set('upstream-chat', async (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object) => ({
        id: 'chatcmpl-f1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'upstream-chat',
        choices: [{ index: 0, delta, finish_reason: null }],
        usage: null,
      });
      sse(res, chunk({ role: 'assistant', content: null, function_call: { name: 'save', arguments: '' } }));
      for (let i = 0; i < 200; i++) sse(res, chunk({ function_call: { arguments: '"0123456789abcdef",' } }));
      await sleep(60_000); // the client leaves before the end
    });
    const request = {
      model: 'gw-chat',
      max_tokens: 2000,
      stream: true,
      messages: [{ role: 'user', content: 'save it' }],
      functions: [{ name: 'save', parameters: { type: 'object', properties: {} } }],
      function_call: { name: 'save' },
    };
    const ac = new AbortController();
    const r = await post('atk-fn', '/llm/openai/v1/chat/completions', request, {}, ac.signal);
    expect(r.status).toBe(200);
    // Read until every delta has been relayed, then leave.
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (text.split('0123456789abcdef').length <= 200) text += decoder.decode((await reader.read()).value, { stream: true });
    ac.abort();
    const s = await settled('atk-fn');
    const body = Buffer.byteLength(JSON.stringify(request));
    // 200 deltas of 20 bytes were produced: charged as output, not as nothing.
    expect(s.spentUsd).toBeGreaterThan(costOf({ input: body + 1024, output: 200 }));
  });

  it("keeps message_start's input when an Anthropic message_delta gives its input counts as null", async () => {
    sc.scripts.set('gw-claude', async (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(
        res,
        {
          type: 'message_start',
          message: {
            id: 'msg_n1',
            type: 'message',
            role: 'assistant',
            model: 'gw-claude',
            content: [],
            usage: { input_tokens: 5000, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
          },
        },
        'message_start',
      );
      sse(res, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start');
      sse(res, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hello' } }, 'content_block_delta');
      sse(res, { type: 'content_block_stop', index: 0 }, 'content_block_stop');
      sse(
        res,
        {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { input_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: null, output_tokens: 2 },
        },
        'message_delta',
      );
      sse(res, { type: 'message_stop' }, 'message_stop');
      res.end();
    });
    const r = await post('atk-anth', '/llm/anthropic/v1/messages', {
      model: 'gw-claude',
      max_tokens: 10,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(r.status).toBe(200);
    await r.text();
    const s = await settled('atk-anth');
    expect(s.spentUsd).toBeCloseTo(costOf({ input: 5000, output: 2 }), 9);
  });

  it('charges a call the provider had when its connection reset as cut short, and records it', async () => {
    sc.scripts.set('upstream-chat', async (req) => {
      await sleep(300); // the provider is generating the whole answer (billed), then a proxy resets
      req.socket.destroy();
    });
    const r = await post('atk-reset', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'long answer please' }],
    });
    expect(r.status).toBe(502);
    expect(sc.received).toHaveLength(1); // the provider had the request
    const s = await settled('atk-reset');
    // The provider may have generated (and billed) it: the worst case, as a whole answer cut short.
    expect(s.spentUsd).toBeGreaterThan(costOf({ input: 0, output: 1000 }));
    await until(async () => (await spans('atk-reset')).length === 1, 'the call recorded as evidence');
  });

  it('charges a stream that ends without usage its worst case', async () => {
    up.behave('upstream-chat', { noUsage: true, outputTokens: 5 });
    const body = { model: 'gw-chat', max_tokens: 500, stream: true, messages: [{ role: 'user', content: 'hi' }] };
    const r = await post('atk-nousage', '/llm/openai/v1/chat/completions', body);
    expect(r.status).toBe(200);
    await r.text();
    const s = await settled('atk-nousage');
    const bound = Buffer.byteLength(JSON.stringify(body)) + 1024;
    // The input bound (of the forwarded body, a few bytes over the client's) and all 500 tokens of output.
    expect(s.spentUsd).toBeGreaterThanOrEqual(costOf({ input: bound, output: 500 }));
    expect(s.spentUsd).toBeLessThan(costOf({ input: bound + 200, output: 500 }));
  });

  it('charges the usage the provider reported when the stream is cut after it', async () => {
    sc.scripts.set('upstream-chat', async (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const response = (status: string, usage?: object) => ({
        id: 'resp_u1',
        object: 'response',
        status,
        model: 'upstream-chat',
        output: [],
        ...(usage ? { usage } : {}),
      });
      sse(res, { type: 'response.created', response: response('in_progress') }, 'response.created');
      sse(res, { type: 'response.output_text.delta', delta: '42' }, 'response.output_text.delta');
      sse(
        res,
        {
          type: 'response.completed',
          response: response('completed', {
            input_tokens: 20,
            output_tokens: 20_001,
            output_tokens_details: { reasoning_tokens: 20_000 },
          }),
        },
        'response.completed',
      );
      await sleep(60_000); // the connection is not closed at once
    });
    const before = (await settled('atk-reason')).spentUsd;
    const ac = new AbortController();
    const r = await post(
      'atk-reason',
      '/llm/openai/v1/responses',
      { model: 'gw-chat', input: 'think', max_output_tokens: 30_000, stream: true },
      {},
      ac.signal,
    );
    const reader = r.body!.getReader();
    let text = '';
    while (!text.includes('response.completed')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const charged = (await settled('atk-reason')).spentUsd - before;
    expect(charged).toBeCloseTo(costOf({ input: 20, output: 20_001 }), 9);
  });

  it('refuses a tool that names a model of its own (Responses image_generation)', async () => {
    const direct = await post('llm-bot', '/llm/openai/v1/responses', {
      model: 'gw-banned',
      input: 'draw',
      max_output_tokens: 10,
    });
    expect(direct.status).toBe(403);
    const viaTool = await post('llm-bot', '/llm/openai/v1/responses', {
      model: 'gw-chat',
      input: 'draw a cat',
      max_output_tokens: 10,
      tools: [{ type: 'image_generation', model: 'gw-banned' }],
    });
    expect(viaTool.status).toBe(400);
    expect((await viaTool.json()).error.message).toMatch(/tools\[0\] is image_generation/);
    expect(sc.received.some((x) => JSON.stringify(x.body).includes('gw-banned'))).toBe(false);
    // Without `model` the provider picks its own image model: as undecided and unpriced.
    const noModel = await post('llm-bot', '/llm/openai/v1/responses', {
      model: 'gw-chat',
      input: 'draw a cat',
      max_output_tokens: 10,
      tools: [{ type: 'web_search' }, { type: 'image_generation' }],
    });
    expect(noModel.status).toBe(400);
    expect((await noModel.json()).error.message).toMatch(/tools\[1\] is image_generation/);
    expect(sc.received).toHaveLength(0);
  });

  it('refuses tools the provider runs in many steps under a blocking limit: no context window bounds them', async () => {
    const responses = await post('atk-steps', '/llm/openai/v1/responses', {
      model: 'gw-chat',
      input: 'research this',
      max_output_tokens: 50,
      tools: [{ type: 'web_search' }],
    });
    expect(responses.status).toBe(400);
    const e = (await responses.json()).error;
    expect(e.code).toBe('cost_unbounded');
    expect(e.message).toMatch(/runs built-in tools within this call in as many steps/);
    const messages = await post('atk-steps', '/llm/anthropic/v1/messages', {
      model: 'gw-claude',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'research this' }],
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }],
    });
    expect(messages.status).toBe(400);
    expect((await messages.json()).error.message).toMatch(/runs server tools within this call/);
    // Any tool type the client does not run itself is the provider's: tool search, and whatever comes next.
    for (const type of ['tool_search_tool_regex_20251119', 'tool_search_tool_bm25_20251119', 'a_new_server_tool_20270101']) {
      const more = await post('atk-steps', '/llm/anthropic/v1/messages', {
        model: 'gw-claude',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'find a tool' }],
        tools: [{ type, name: 'tool_search' }],
      });
      expect(more.status, type).toBe(400);
      expect((await more.json()).error.code).toBe('cost_unbounded');
    }
    expect(sc.received).toHaveLength(0);
    // The client's own tools (custom, computer use, text editor, bash, memory) are one step each.
    const own = await post('atk-steps', '/llm/anthropic/v1/messages', {
      model: 'gw-claude',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'edit it' }],
      tools: [
        { name: 'lookup', input_schema: { type: 'object' } },
        { type: 'custom', name: 'other', input_schema: { type: 'object' } },
        { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
        { type: 'bash_20250124', name: 'bash' },
      ],
    });
    expect(own.status, await own.clone().text()).toBe(200);
    expect(sc.received).toHaveLength(1);
  });

  it('reserves the larger of max_tokens and max_completion_tokens, and checks both', async () => {
    const chat = (extra: object) =>
      post('atk-num', '/llm/openai/v1/chat/completions', {
        model: 'gw-chat',
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 1,
        ...extra,
      });
    const junk = await chat({ max_tokens: 'lots' });
    expect(junk.status).toBe(400);
    // A server that reads max_tokens could write 1,000,000 tokens: that is the call's worst case.
    const large = await chat({ max_tokens: 1_000_000 });
    expect(large.status).toBe(429);
    expect((await large.json()).error.code).toBe('spend_limit_exceeded');
    expect(sc.received).toHaveLength(0);
  });

  it('answers a call larger than a minute of tokensPerMinute with a 400, not a 429 to retry forever', async () => {
    const r = await post('atk-tpm', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 10_000,
    });
    expect(r.status).toBe(400);
    const e = (await r.json()).error;
    expect(e.code).toBe('tokens_over_rate_limit');
    expect(e.message).toMatch(/more than atk-tpm's tokensPerMinute \(5000\)/);
    const fits = await post('atk-tpm', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 100,
    });
    expect(fits.status).toBe(200);
  });

  it('answers a path it does not serve with 404 in the API format, whatever the body', async () => {
    for (const path of ['/llm/openai/v1/completions', '/llm/openai/v1/chat/completions/', '/llm/anthropic/v1/nope']) {
      const r = await post('llm-bot', path, { model: 'gw-chat', prompt: 'hi' });
      expect(r.status, path).toBe(404);
      const e = (await r.json()).error;
      expect(e.type, path).toBe(path.includes('anthropic') ? 'not_found_error' : 'invalid_request_error');
    }
  });

  it("never hands the endpoint's credential to the agent, when a provider echoes it", async () => {
    sc.scripts.set('upstream-chat', (req, body, res) => {
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        sse(res, {
          id: 'c1',
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta: { content: String(req.headers.authorization) } }],
        });
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: `bad request with ${req.headers.authorization}`, type: 'invalid_request_error' } }),
      );
    });
    const whole = await post('llm-bot', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(whole.status).toBe(400);
    const text = await whole.text();
    expect(text).not.toContain(UPSTREAM_SECRET);
    // The whole header value is hidden as one (as an MCP upstream's), the token in any form.
    expect(text).toContain('bad request with [credential redacted]');
    const streamed = await post('llm-bot', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      max_tokens: 5,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const events = await streamed.text();
    expect(events).not.toContain(UPSTREAM_SECRET);
    expect(events).toContain('[credential redacted]');
  });

  it("keeps the endpoint's credential out of the log when the provider refuses it and echoes it, wherever the log cuts", async () => {
    const warn = vi.spyOn(t.server.log, 'warn');
    try {
      // The log keeps 2,000 characters of the refusal: the credential straddles that cut.
      sc.scripts.set('upstream-chat', (req, _body, res) => {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end(`${'x'.repeat(2000 - 'Bearer '.length - 4)}${req.headers.authorization} was refused`);
      });
      const r = await post('llm-bot', '/llm/openai/v1/chat/completions', {
        model: 'gw-chat',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(r.status).toBe(502);
      const logged = warn.mock.calls.find(([, message]) => String(message).includes('refused its credential'));
      expect(logged).toBeDefined();
      const detail = String((logged?.[0] as { detail?: unknown } | undefined)?.detail);
      expect(detail).toHaveLength(2000);
      expect(detail.endsWith('x[credential')).toBe(true);
      expect(detail).not.toContain(UPSTREAM_SECRET.slice(0, 4));
    } finally {
      warn.mockRestore();
    }
  });

  it('breaks off a stream the provider cut, so that the client does not take it for a whole answer', async () => {
    // The provider cuts its connection once the client has the first event.
    let received: () => void = () => {};
    const firstEventRead = new Promise<void>((r) => {
      received = r;
    });
    sc.scripts.set('upstream-chat', async (req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, { id: 'c2', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'half an ans' } }] });
      await firstEventRead;
      req.socket.destroy();
    });
    const r = await post('llm-bot', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      max_tokens: 5,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(r.status).toBe(200);
    const reader = r.body?.getReader();
    if (!reader) throw new Error('no body');
    let text = '';
    while (!text.includes('half an ans')) text += new TextDecoder().decode((await reader.read()).value);
    received();
    const rest = async () => {
      for (;;) if ((await reader.read()).done) return;
    };
    await expect(rest()).rejects.toThrow(/terminated|aborted|closed/i);
  });

  it("counts the gateway's priced record, not an agent's own span of the same call sent first", async () => {
    up.behave('upstream-chat', { inputTokens: 1000, outputTokens: 10, intervalMs: 100 });
    const r = await post('atk-otlp', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      max_tokens: 50,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const reader = r.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const id = JSON.parse(
      first
        .split('\n')
        .find((l) => l.startsWith('data: '))!
        .slice(6),
    ).id as string;
    const otlp = await t.server.inject({
      method: 'POST',
      url: '/otlp/v1/traces',
      headers: { authorization: `Bearer ${keys['atk-otlp']}` },
      payload: clientChatSpan({
        traceId: 'b'.repeat(32),
        spanId: '3'.repeat(16),
        responseId: id,
        tokens: { input: 0, output: 0 },
      }),
    });
    expect(otlp.statusCode).toBe(200);
    while (!(await reader.read()).done);
    const s = await settled('atk-otlp');
    expect(s.spentUsd).toBeCloseTo(costOf({ input: 1000, output: 10 }), 9); // the ledger charged it
    await until(async () => (await spans('atk-otlp')).length === 2, "the gateway's record stored");
    const rows = await t.app.database.db
      .selectFrom('spans')
      .select(['source', 'duplicate', 'input_tokens', 'output_tokens'])
      .where('agent', '=', 'atk-otlp')
      .execute();
    // Both kept; the agent's claim (0 tokens) is the duplicate, the gateway's 1,000 + 10 count.
    expect(rows.filter((x) => x.duplicate === 0)).toEqual([
      { source: 'llm', duplicate: 0, input_tokens: 1000, output_tokens: 10 },
    ]);
    // The rollups behind costs, budgets and the board report: the gateway's count, once.
    const daily = await t.app.database.db
      .selectFrom('evidence_daily')
      .select((eb) => [
        eb.fn.sum<number>('model_calls').as('calls'),
        eb.fn.sum<number>('input_tokens').as('input'),
        eb.fn.sum<number>('output_tokens').as('output'),
        eb.fn.sum<number>('cost_measured_usd').as('cost'),
      ])
      .where('agent', '=', 'atk-otlp')
      .executeTakeFirstOrThrow();
    expect({ calls: Number(daily.calls), input: Number(daily.input), output: Number(daily.output) }).toEqual({
      calls: 1,
      input: 1000,
      output: 10,
    });
    expect(Number(daily.cost)).toBeCloseTo(costOf({ input: 1000, output: 10 }), 9);
  });

  it('keeps every gateway record when a provider repeats response ids (a response cache)', async () => {
    sc.scripts.set('upstream-chat', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-7',
          object: 'chat.completion',
          created: 1,
          model: 'upstream-chat',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 100, completion_tokens: 100, total_tokens: 200 },
        }),
      );
    });
    for (let i = 0; i < 3; i++) {
      const r = await post('atk-ids', '/llm/openai/v1/chat/completions', {
        model: 'gw-chat',
        max_tokens: 100,
        messages: [{ role: 'user', content: `call ${i}` }],
      });
      expect(r.status).toBe(200);
    }
    const s = await settled('atk-ids');
    expect(s.spentUsd).toBeCloseTo(3 * costOf({ input: 100, output: 100 }), 9);
    await until(async () => (await spans('atk-ids')).length === 3, 'three calls, three inferences in the evidence');
  });
});
