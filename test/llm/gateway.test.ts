// The LLM gateway through real clients: the `openai` and `@anthropic-ai/sdk` packages, base URL
// pointed at Fulcrum, calling a fake provider of our own on 127.0.0.1. Each call is a decision,
// forwarded with the provider's model id and Fulcrum's credential (never the agent's key), settled on
// its usage, and recorded as evidence; refusals come in each API's own error format.
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { ADMIN_TOKEN } from '../support/server.js';
import { until } from '../support/wait.js';
import { botDailyLimit, clientChatSpan, costOf, limitStatus, PRICE, UPSTREAM_SECRET, useLlmStack } from './fixture.js';

// A limit far above anything these tests spend: every call is reserved and settled through it.
const WATCH = `${botDailyLimit(1000)}---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: rate-bot }
spec:
  initiative: support-deflection
  archetype: llm-caller
  owner: dana.lee
  rateLimits: { requestsPerMinute: 3 }
`;

const USAGE = { input: 10, output: 5 }; // what the fake upstream reports by default

describe.each(ENGINES)('LLM gateway (%s)', (engine) => {
  const llm = useLlmStack(engine, {
    config: { llmBodyLimit: 2 * 1024 * 1024, llmMaxCallsPerAgent: 3, llmMaxBytesPerAgent: 3 * 1024 * 1024 },
    extra: WATCH,
  });
  let openai: OpenAI;
  let anthropic: Anthropic;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  /** Writes the fixture's endpoint of `api` (openai-local, anthropic-local) with these spec members besides. */
  const putEndpoint = (api: 'openai' | 'anthropic', extra: Record<string, unknown>) =>
    llm.t.server.inject({
      method: 'PUT',
      url: `/v1/model-endpoints/${api}-local`,
      headers: admin,
      payload: {
        spec: { api, baseUrl: `${llm.up.url}/v1`, credential: { env: 'FULCRUM_SECRET_LLM_TEST' }, timeoutMs: 20000, ...extra },
      },
    });

  /** Settled spend of bot-daily once nothing is held any more. */
  async function settled(): Promise<number> {
    let s = await limitStatus(llm.t.server, 'bot-daily');
    await until(async () => {
      s = await limitStatus(llm.t.server, 'bot-daily');
      return s.reservedUsd === 0;
    }, 'reservations to settle');
    return s.spentUsd;
  }

  beforeAll(async () => {
    openai = new OpenAI({ baseURL: `${llm.url}/llm/openai/v1`, apiKey: llm.key, maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: `${llm.url}/llm/anthropic`, apiKey: llm.key, maxRetries: 0 });
  });
  beforeEach(() => {
    llm.up.behave('*', {});
    llm.up.received.length = 0;
  });

  it('forwards a chat completion with the provider model id and Fulcrum credential, and charges its usage', async () => {
    const before = await settled();
    const r = await openai.chat.completions.create({
      model: 'gw-chat',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 50,
    });
    expect(r.choices[0]?.message.content).toBe('tok tok tok tok tok ');
    expect(r.usage?.completion_tokens).toBe(5);
    const sent = llm.up.received[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.body.model).toBe('upstream-chat');
    expect(sent?.headers.authorization).toBe(`Bearer ${UPSTREAM_SECRET}`);
    expect(JSON.stringify(sent?.headers)).not.toContain(llm.key);
    expect((await settled()) - before).toBeCloseTo(costOf(USAGE), 9);
    // The decision is in the audit log, as every decision is.
    const audit = await llm.t.server.inject({ method: 'GET', url: '/v1/audit?agent=llm-bot&limit=5', headers: admin });
    expect(
      audit.json().items.some((e: { action: string; target: string }) => e.action === 'model.call' && e.target === 'gw-chat'),
    ).toBe(true);
  });

  it('streams a chat completion as it arrives, asks for usage and hides it from a client that did not', async () => {
    const before = await settled();
    const stream = await openai.chat.completions.create({
      model: 'gw-chat',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 50,
      stream: true,
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('tok '.repeat(5));
    expect(chunks.every((c) => !('usage' in c) && c.choices.length === 1)).toBe(true);
    expect(llm.up.received[0]?.body.stream_options).toEqual({ include_usage: true });
    expect((await settled()) - before).toBeCloseTo(costOf(USAGE), 9);
  });

  it('passes the usage chunk on to a client that asked for it', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gw-chat',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(15);
  });

  it('serves the responses API, whole and streamed', async () => {
    const before = await settled();
    const whole = await openai.responses.create({ model: 'gw-chat', input: 'hi', max_output_tokens: 50 });
    expect(whole.output_text).toBe('tok '.repeat(5));
    const stream = await openai.responses.create({ model: 'gw-chat', input: 'hi', max_output_tokens: 50, stream: true });
    let text = '';
    for await (const e of stream) if (e.type === 'response.output_text.delta') text += e.delta;
    expect(text).toBe('tok '.repeat(5));
    expect(llm.up.received.map((r) => r.path)).toEqual(['/v1/responses', '/v1/responses']);
    expect((await settled()) - before).toBeCloseTo(2 * costOf(USAGE), 9);
  });

  it('serves embeddings', async () => {
    llm.up.behave('gw-embed', { inputTokens: 7 });
    const before = await settled();
    const e = await openai.embeddings.create({ model: 'gw-embed', input: 'hello' });
    expect(e.data[0]?.embedding).toHaveLength(3);
    expect((await settled()) - before).toBeCloseTo(costOf({ input: 7, output: 0 }), 9);
  });

  it('serves the Anthropic messages API with the agent key as x-api-key, whole and streamed', async () => {
    llm.up.behave('gw-claude', { inputTokens: 20, cachedTokens: 8, outputTokens: 6 });
    const before = await settled();
    const m = await anthropic.messages.create({
      model: 'gw-claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(m.content[0]?.type === 'text' && m.content[0].text).toBe('tok '.repeat(6));
    expect(llm.up.received[0]?.headers['x-api-key']).toBe(UPSTREAM_SECRET);
    // The client's API version goes on (the gateway sends 2023-06-01 only when a client names none).
    expect(llm.up.received[0]?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const stream = anthropic.messages.stream({
      model: 'gw-claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    stream.on('text', (d) => {
      text += d;
    });
    const final = await stream.finalMessage();
    expect(text).toBe('tok '.repeat(6));
    expect(final.usage.output_tokens).toBe(6);
    expect((await settled()) - before).toBeCloseTo(2 * costOf({ input: 20, cached: 8, output: 6 }), 9);
  });

  /** What a slow Anthropic call holds against the limit while it runs (the endpoint is made slow first). */
  const heldBy = async (body: Anthropic.MessageCreateParamsNonStreaming) => {
    const call = anthropic.messages.create(body);
    let held = 0;
    await until(async () => {
      held = (await limitStatus(llm.t.server, 'bot-daily')).reservedUsd;
      return held > 0;
    }, 'the call to reserve');
    await call;
    await settled();
    return held;
  };

  it('prices prompt-cache writes at their own rate, whole and streamed, and reserves a call that asks for one at it', async () => {
    llm.up.behave('gw-claude', { inputTokens: 30, cachedTokens: 4, cacheWriteTokens: 20, outputTokens: 4 });
    const before = await settled();
    const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }];
    const ask = { model: 'gw-claude', max_tokens: 100, system, messages: [{ role: 'user' as const, content: 'hi' }] };
    expect((await anthropic.messages.create(ask)).usage.cache_creation_input_tokens).toBe(20);
    expect((await anthropic.messages.stream(ask).finalMessage()).usage.cache_creation_input_tokens).toBe(20);
    expect((await settled()) - before).toBeCloseTo(2 * costOf({ input: 30, cached: 4, cacheWrite: 20, output: 4 }), 9);

    // What a slow call holds while it runs: with cache_control, its input bound at the cache-write
    // rate (2), not the input rate (1). The two bodies differ only by that field (37 bytes).
    llm.up.behave('gw-claude', { latencyMs: 400 });
    const plain = await heldBy({ ...ask, system: [{ type: 'text', text: 'You are terse.' }] });
    const writing = await heldBy(ask);
    const output = (100 * PRICE.output) / 1e6;
    const input = plain - output; // its input bound at 1 USD a million
    expect(Math.abs(writing - (2 * input + output))).toBeLessThan(200 / 1e6);
  });

  it('reserves the definitions Anthropic adds for the tools a request names by type only (computer, text editor, bash)', async () => {
    llm.up.behave('gw-claude', { latencyMs: 400 });
    const ask = { model: 'gw-claude', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };
    const tools = [
      { type: 'computer_20250124', name: 'computer', display_width_px: 1024, display_height_px: 768 },
      { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
      { type: 'bash_20250124', name: 'bash' },
    ];
    const plain = await heldBy(ask);
    const withTools = await heldBy({ ...ask, tools } as unknown as typeof ask);
    // Their bodies differ by ~230 bytes; Anthropic adds 735 + 499 (computer use), 700 and 245 tokens.
    expect(withTools - plain).toBeGreaterThanOrEqual(((735 + 499 + 700 + 245) * PRICE.input) / 1e6);
  });

  it('reserves an image sent at detail "original" at its own bound, above the one for other images', async () => {
    // OpenAI reads an image at detail "original" in up to 10,000 32-px patches, at the model's
    // multiplier (1.2 for gpt-5.4): up to 12,000 tokens, from a URL of a few bytes.
    llm.up.behave('upstream-chat', { latencyMs: 400 });
    const held = async (detail: 'high' | 'original') => {
      const call = openai.chat.completions.create({
        model: 'gw-chat',
        max_completion_tokens: 10,
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png', detail } }] }],
      } as never);
      let reserved = 0;
      await until(async () => {
        reserved = (await limitStatus(llm.t.server, 'bot-daily')).reservedUsd;
        return reserved > 0;
      }, 'the call to reserve');
      await call;
      await settled();
      return reserved;
    };
    const high = await held('high');
    const original = await held('original');
    // The two bodies differ by 4 bytes; the bounds by 12,500 - 6,000 tokens.
    expect(original - high).toBeGreaterThanOrEqual(((12_500 - 6_000) * PRICE.input) / 1e6);
  });

  it('refuses what the provider bills above the Model price: a dearer service tier, the 1M-context beta', async () => {
    /** The message of the 400 the call is refused with. */
    const refusal = async (call: Promise<unknown>) => {
      const e = await call.catch((x: unknown) => x);
      expect(e).toMatchObject({ status: 400 });
      return String((e as Error).message);
    };
    const hi = [{ role: 'user' as const, content: 'hi' }];
    expect(await refusal(openai.chat.completions.create({ model: 'gw-chat', messages: hi, service_tier: 'priority' }))).toContain(
      'service_tier "priority" is billed above the Model\'s price',
    );
    const beta = (value: string) =>
      anthropic.messages.create({ model: 'gw-claude', max_tokens: 10, messages: hi }, { headers: { 'anthropic-beta': value } });
    expect(await refusal(beta('prompt-caching-2024-07-31, context-1m-2025-08-07'))).toContain(
      'anthropic-beta context-1m-2025-08-07 bills long inputs above',
    );
    // A 1-hour cache write is billed at twice the input price; the Model keeps the 5-minute one.
    const hour = anthropic.messages.create({
      model: 'gw-claude',
      max_tokens: 10,
      system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: hi,
    });
    expect(await refusal(hour)).toContain('cache_control with a ttl other than 5m is billed above');
    // Fast mode is billed at a multiple of the price; fallbacks have the provider answer with other models.
    const fast = anthropic.messages.create({ model: 'gw-claude', max_tokens: 10, speed: 'fast', messages: hi } as never);
    expect(await refusal(fast)).toMatch(/speed \\?"fast\\?" is billed above the Model's price/);
    expect(await refusal(beta('fast-mode-2026-02-01'))).toContain('anthropic-beta fast-mode-2026-02-01 bills fast output');
    // US-only inference is billed at 1.1 times the price (Claude Opus 4.6, Sonnet 4.6 and later).
    const us = anthropic.messages.create({ model: 'gw-claude', max_tokens: 10, inference_geo: 'us', messages: hi } as never);
    expect(await refusal(us)).toMatch(/inference_geo \\?"us\\?" is billed above the Model's price/);
    const fallbacks = anthropic.messages.create({
      model: 'gw-claude',
      max_tokens: 10,
      fallbacks: [{ model: 'claude-opus-4-6' }],
      messages: hi,
    } as never);
    expect(await refusal(fallbacks)).toContain('fallbacks has the provider answer with other models');
    expect(llm.up.received).toHaveLength(0);
    // Tiers billed at the price or below it pass, as do other betas.
    await openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], service_tier: 'flex' });
    await anthropic.messages.create(
      { model: 'gw-claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } },
    );
    await anthropic.messages.create({ model: 'gw-claude', max_tokens: 10, inference_geo: 'global', messages: hi } as never);
    expect(llm.up.received).toHaveLength(3);
    expect(llm.up.received[1]?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
  });

  it("refuses n past OpenAI's own bound of 128, before reserving n times max_tokens", async () => {
    const before = llm.up.received.length;
    const e = await openai.chat.completions
      .create({ model: 'gw-chat', n: 129, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 400 });
    expect(String((e as Error).message)).toContain('n must be a whole number from 1 to 128');
    expect(llm.up.received).toHaveLength(before);
  });

  it('refuses audio in or out of a chat completion: billed at audio rates, many times the Model price', async () => {
    // OpenAI bills audio tokens apart from text (gpt-audio: 32 and 64 USD a million against 2.5 and 10),
    // in the same prompt_tokens and completion_tokens the ledger prices at the Model's one price.
    const refusal = async (call: Promise<unknown>) => {
      const e = await call.catch((x: unknown) => x);
      expect(e).toMatchObject({ status: 400 });
      return String((e as Error).message);
    };
    const hi = [{ role: 'user' as const, content: 'hi' }];
    const spoken = openai.chat.completions.create({
      model: 'gw-chat',
      modalities: ['text', 'audio'],
      audio: { voice: 'alloy', format: 'wav' },
      messages: hi,
    });
    expect(await refusal(spoken)).toContain("audio output is billed at the provider's audio rates");
    // The audio member alone (a server that reads it without modalities).
    const voiced = openai.chat.completions.create({ model: 'gw-chat', audio: { voice: 'alloy', format: 'wav' }, messages: hi });
    expect(await refusal(voiced)).toContain("audio output is billed at the provider's audio rates");
    const heard = openai.chat.completions.create({
      model: 'gw-chat',
      messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } }] }],
    });
    expect(await refusal(heard)).toContain("audio input is billed at the provider's audio rates");
    // An earlier audio answer, by id, is read again as audio input.
    const again = openai.chat.completions.create({
      model: 'gw-chat',
      messages: [{ role: 'assistant', audio: { id: 'audio_1' } }, ...hi],
    });
    expect(await refusal(again)).toContain('an earlier audio answer');
    expect(llm.up.received).toHaveLength(0);
    // Text alone, to the same Model, passes.
    await openai.chat.completions.create({ model: 'gw-chat', modalities: ['text'], messages: hi });
    expect(llm.up.received).toHaveLength(1);
  });

  it('charges a stream the client abandons for what was produced, and aborts the provider call', async () => {
    llm.up.behave('gw-claude', { inputTokens: 30, outputTokens: 50, stallAfter: 3 });
    const before = await settled();
    const cutBefore = llm.up.cut;
    const ac = new AbortController();
    const stream = anthropic.messages.stream(
      { model: 'gw-claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] },
      { signal: ac.signal },
    );
    let deltas = 0;
    await new Promise<void>((resolve) => {
      stream.on('text', () => {
        if (++deltas === 3) resolve();
      });
    });
    ac.abort();
    await stream.done().catch(() => {});
    await until(async () => llm.up.cut > cutBefore, 'the provider to see the call aborted');
    // Anthropic says the input at the start; the output is what was streamed: 3 deltas of 4 bytes.
    expect((await settled()) - before).toBeCloseTo(costOf({ input: 30, output: 3 }), 9);
  });

  it('charges a stream cut while held back for a client that stopped reading at its output bound', async () => {
    // The provider goes on producing while the gateway holds its stream back (the client reads
    // nothing): what it produced past what the gateway read is unknown, so it is not counted low.
    const OUT = 100_000;
    llm.up.behave('upstream-chat', { outputTokens: OUT });
    const before = await settled();
    const body = JSON.stringify({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: OUT, stream: true });
    const req = http.request(`${llm.url}/llm/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llm.key}`, 'content-type': 'application/json' },
    });
    req.on('error', () => {}); // destroyed below
    const answered = new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
    req.end(body);
    (await answered).pause();
    // Held back: what the provider wrote stops going anywhere (the gateway reads no more of it) for a
    // whole second. (One look 200 ms after another was not enough on a loaded machine: a process
    // starved of CPU for that long moves no bytes either, before the gateway has held anything back.)
    let last = -1;
    let still = 0;
    await expect
      .poll(
        () => {
          const now = llm.up.buffered();
          still = now > 0 && now === last ? still + 1 : 0;
          last = now;
          return still >= 5;
        },
        { interval: 200, timeout: 20_000 },
      )
      .toBe(true);
    req.destroy();
    expect((await settled()) - before).toBeGreaterThanOrEqual(costOf({ input: 0, output: OUT }));
  });

  it('charges an OpenAI stream cut before its usage for its prompt bound and what was produced, never nothing', async () => {
    llm.up.behave('upstream-chat', { outputTokens: 50, stallAfter: 4 });
    const before = await settled();
    const ac = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50, stream: true },
      { signal: ac.signal },
    );
    let deltas = 0;
    try {
      for await (const c of stream) if (c.choices[0]?.delta.content && ++deltas === 4) ac.abort();
    } catch {
      // the abort
    }
    const charged = (await settled()) - before;
    expect(charged).toBeGreaterThan(costOf({ input: 0, output: 4 }));
    expect(charged).toBeLessThan(costOf({ input: 2048, output: 50 })); // the call's worst case
  });

  it('charges nothing for a provider error and passes it on in the API format', async () => {
    llm.up.behave('upstream-chat', { error: { status: 500, body: { error: { message: 'boom', type: 'server_error' } } } });
    const before = await settled();
    const err = await openai.chat.completions
      .create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.error.message).toBe('boom');
    expect((await settled()) - before).toBe(0);
    // The provider refusing Fulcrum's credential is not the agent's key being wrong.
    llm.up.behave('upstream-chat', { error: { status: 401, body: { error: { message: 'bad key' } } } });
    const auth = await openai.chat.completions
      .create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 })
      .catch((e) => e);
    expect(auth.status).toBe(502);
    expect(auth.error.code).toBe('upstream_auth_failed');
  });

  it('charges the worst case when the provider reports no usage', async () => {
    llm.up.behave('upstream-chat', { noUsage: true });
    const before = await settled();
    await openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
    const charged = (await settled()) - before;
    expect(charged).toBeGreaterThanOrEqual(costOf({ input: 1024, output: 50 }));
  });

  it('charges the worst case for a usage object it cannot read, never the $0 its counts would add up to', async () => {
    const unreadable = [
      { input_tokens: 5000, output_tokens: 900 }, // another API's field names
      {},
      { prompt_tokens: 5000 }, // no completion count
      { prompt_tokens: -5, completion_tokens: 900 },
      { prompt_tokens: 5000, completion_tokens: 1.5 },
      { prompt_tokens: 5000, completion_tokens: 900, prompt_tokens_details: { cached_tokens: 'many' } },
    ];
    for (const usage of unreadable) {
      llm.up.behave('upstream-chat', { usage });
      const before = await settled();
      await openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
      expect((await settled()) - before, JSON.stringify(usage)).toBeGreaterThanOrEqual(costOf({ input: 1024, output: 50 }));
    }
    // Counts given as strings of digits, as some servers send them, are read (by the rule OTLP spans' are).
    llm.up.behave('upstream-chat', { usage: { prompt_tokens: '40', completion_tokens: ' 7 ' } });
    const before = await settled();
    await openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
    expect((await settled()) - before).toBeCloseTo(costOf({ input: 40, output: 7 }), 9);
  });

  it('refuses an unpriced model (fail closed) without calling the provider', async () => {
    const err = await openai.chat.completions
      .create({ model: 'gw-unpriced', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(err.error.code).toBe('model_unpriced');
    expect(llm.up.received).toHaveLength(0);
  });

  it('refuses a banned model with 403 naming the policy, in each API format', async () => {
    const err = await openai.chat.completions
      .create({ model: 'gw-banned', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(err.error).toMatchObject({ code: 'model_not_allowed', policy: 'builtin/model-banned', decision: 'deny' });
    expect(err.message).toContain('builtin/model-banned');
    // A model outside the archetype: nothing permits it.
    const other = await openai.chat.completions
      .create({ model: 'gw-other', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })
      .catch((e) => e);
    expect(other.error).toMatchObject({ code: 'model_not_allowed', policy: 'default-deny' });
    // Anthropic's format for a model served by the wrong API, and an unknown one.
    const wrong = await anthropic.messages
      .create({ model: 'gw-chat', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e) => e);
    expect(wrong).toBeInstanceOf(Anthropic.BadRequestError);
    expect(wrong.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: 'wrong_api' } });
    const unknown = await openai.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(llm.up.received).toHaveLength(0);
  });

  it('refuses a model the data domains of the call forbid', async () => {
    const err = await openai.chat.completions
      .create(
        { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 },
        { headers: { 'Fulcrum-Data-Domains': 'customer-records' } },
      )
      .then(() => undefined)
      .catch((e) => e);
    // gw-chat runs in eu-west-1 and is cleared for confidential data: customer-records is allowed.
    expect(err).toBeUndefined();
    const bad = await openai.chat.completions
      .create(
        { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 },
        { headers: { 'Fulcrum-Data-Domains': 'no-such-domain' } },
      )
      .catch((e) => e);
    expect(bad.status).toBe(422);
  });

  it('takes bodies up to FULCRUM_LLM_BODY_LIMIT, and refuses larger or too deep ones in the API format', async () => {
    const big = 'x'.repeat(1536 * 1024); // over the API's 1 MiB, under this server's 2 MiB
    const ok = await openai.chat.completions.create({
      model: 'gw-chat',
      messages: [{ role: 'user', content: big }],
      max_tokens: 5,
    });
    expect(ok.choices[0]?.message.content).toBe('tok '.repeat(5));
    const tooBig = await openai.chat.completions
      .create({ model: 'gw-chat', messages: [{ role: 'user', content: big + big }], max_tokens: 5 })
      .catch((e) => e);
    expect(tooBig.status).toBe(413);
    expect(tooBig.error.code).toBe('payload_too_large');
    const deep = await fetch(`${llm.url}/llm/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': llm.key, 'content-type': 'application/json' },
      body: `{"model":"gw-claude","max_tokens":5,"metadata":${'['.repeat(100)}${']'.repeat(100)}}`,
    });
    expect(deep.status).toBe(400);
    expect((await deep.json()).error).toMatchObject({ type: 'invalid_request_error', code: 'bad_request' });
  });

  it('lists the models the agent may call', async () => {
    const models = [];
    for await (const m of openai.models.list()) models.push(m.id);
    // gw-unpriced is allowed but has no price today: every call to it is refused, so it is not listed.
    expect(models).toEqual(['gw-chat', 'gw-embed']);
  });

  it("bounds an agent's calls and request bytes in flight, before deciding, and frees them as calls end", async () => {
    llm.up.behave('upstream-chat', { latencyMs: 400 });
    const call = (content = 'hi') =>
      openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content }], max_tokens: 5 }).then(
        () => 200,
        (e) => e,
      );
    const answers = await Promise.all([call(), call(), call(), call()]);
    const refused = answers.filter((a) => a !== 200);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused[0].error.code).toBe('too_many_calls_in_flight');
    expect(refused[0].headers.get('retry-after')).toBe('1');
    // Bytes: one large body fits alone; a second while the first is in flight would pass 3 MiB.
    const large = 'x'.repeat(1_800_000);
    const [first, second] = await Promise.all([call(large), call(large)]);
    expect([first, second].filter((a) => a === 200)).toHaveLength(1);
    expect([first, second].find((a) => a !== 200).error.message).toMatch(/request bytes\) in flight/);
    // Freed once they answered.
    expect(await call(large)).toBe(200);
    expect(llm.up.received.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(3 + 1 + 1);
  });

  it('refuses an unknown key with 401 in the API format', async () => {
    const bad = new OpenAI({ baseURL: `${llm.url}/llm/openai/v1`, apiKey: 'fk_nope', maxRetries: 0 });
    const err = await bad.chat.completions
      .create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    const badAnthropic = new Anthropic({ baseURL: `${llm.url}/llm/anthropic`, apiKey: 'fk_nope', maxRetries: 0 });
    const e2 = await badAnthropic.messages
      .create({ model: 'gw-claude', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e) => e);
    expect(e2).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(e2.error.error.type).toBe('authentication_error');
  });

  it("enforces an agent's requests per minute", async () => {
    const rk = (await llm.t.server.inject({ method: 'POST', url: '/v1/agents/rate-bot/keys', headers: admin })).json().key;
    const client = new OpenAI({ baseURL: `${llm.url}/llm/openai/v1`, apiKey: rk, maxRetries: 0 });
    const call = () =>
      client.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }).then(
        () => 200,
        (e) => e,
      );
    // Three in a minute. The window may turn between calls: of seven calls split over two minutes,
    // one minute always gets four (five calls split 3 + 2 gave no refusal, a flaky test).
    const answers: unknown[] = [];
    for (let i = 0; i < 7 && answers.every((a) => a === 200); i++) answers.push(await call());
    const refused = answers.find((a) => a !== 200) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused.error as { code?: string } | undefined)?.code).toBe('rate_limit_exceeded');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a suspended agent mid-run, on its next call', async () => {
    await openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
    const s = await llm.t.server.inject({
      method: 'POST',
      url: '/v1/agents/llm-bot/suspend',
      headers: admin,
      payload: { reason: 'test' },
    });
    expect(s.statusCode, s.body).toBe(200);
    try {
      const err = await openai.chat.completions
        .create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })
        .catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(err.error.policy).toBe('builtin/agent-status');
    } finally {
      await llm.t.server.inject({
        method: 'POST',
        url: '/v1/agents/llm-bot/resume',
        headers: admin,
        payload: { reason: 'test' },
      });
    }
  });

  it('records each call as a priced inference, and does not count the client’s own span of it again', async () => {
    await llm.t.server.llmGateway.flush();
    // From yesterday: a span below starts half an hour ago. To tomorrow: a test run just before UTC
    // midnight records its calls on the next day.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const calls = async () => {
      const r = await llm.t.server.inject({
        method: 'GET',
        url: `/v1/costs?groupBy=agent&from=${yesterday}&to=${tomorrow}`,
        headers: admin,
      });
      return r.json().rows.find((x: { key: string }) => x.key === 'llm-bot') as { calls: number; costUsd: number };
    };
    const r = await openai.chat.completions.create({
      model: 'gw-chat',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 5,
    });
    let before = await calls();
    await until(async () => {
      await llm.t.server.llmGateway.flush();
      const now = await calls();
      const grew = now.calls > (before?.calls ?? 0);
      before = now;
      return grew;
    }, 'the gateway evidence');
    const base = await calls();
    // The client's own OpenTelemetry span of the same call, with the provider's response id.
    const span = (responseId: string, spanId: string) =>
      clientChatSpan({ traceId: 'a'.repeat(32), spanId, responseId, tokens: { input: 10, output: 5 } });
    const otlp = (body: ReturnType<typeof span>) =>
      llm.t.server.inject({
        method: 'POST',
        url: '/otlp/v1/traces',
        headers: { authorization: `Bearer ${llm.key}` },
        payload: body,
      });
    expect((await otlp(span(r.id, '1'.repeat(16)))).statusCode).toBe(200);
    expect((await calls()).calls).toBe(base.calls);
    expect((await calls()).costUsd).toBeCloseTo(base.costUsd, 9);
    // Another response id is another call.
    expect((await otlp(span('chatcmpl-other', '2'.repeat(16)))).statusCode).toBe(200);
    expect((await calls()).calls).toBe(base.calls + 1);
    // So is the same id half an hour earlier: a direct call of a provider that repeats its ids (Ollama's
    // `chatcmpl-<0..998>`), not the gateway's call.
    const earlier = clientChatSpan({
      traceId: 'b'.repeat(32),
      spanId: '3'.repeat(16),
      responseId: r.id,
      tokens: { input: 10, output: 5 },
      atMs: Date.now() - 1_800_000,
    });
    expect((await otlp(earlier)).statusCode).toBe(200);
    expect((await calls()).calls).toBe(base.calls + 2);
  });

  it.each([
    ['in fast mode', { fast: true }],
    // A workspace's default_inference_geo: billed at 1.1 times the price, the call naming no geo.
    ['US-only', { geo: 'us' }],
    // A stream whose message_start says nothing of it, and whose message_delta does.
    ["US-only, said at the stream's end", { geoLate: 'us' }],
  ])('records a call the provider says it ran %s as unpriced, whole and streamed', async (_how, behaviour) => {
    llm.up.behave('gw-claude', behaviour);
    const whole = await anthropic.messages.create({
      model: 'gw-claude',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const stream = anthropic.messages.stream({ model: 'gw-claude', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    const streamed = await stream.finalMessage();
    await llm.t.server.llmGateway.flush();
    const spans = await llm.t.app.database.db
      .selectFrom('spans')
      .select(['response_id', 'cost_usd', 'unpriced_reason'])
      .where('source', '=', 'llm')
      .where('response_id', 'in', [whole.id, streamed.id])
      .execute();
    expect(spans).toHaveLength(2);
    for (const s of spans) expect(s).toMatchObject({ cost_usd: null, unpriced_reason: 'service_tier' });
  });

  it("sends the output limit as the endpoint's outputLimit says, and says when an endpoint answers past it", async () => {
    const endpoint = (api: 'openai' | 'anthropic', outputLimit?: string) => putEndpoint(api, outputLimit ? { outputLimit } : {});
    const wrong = await endpoint('anthropic', 'max_tokens');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('/spec/outputLimit');
    const warn = vi.spyOn(llm.t.server.log, 'warn');
    const ask = () => openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }] });
    try {
      // The Model's maxOutputTokens (1000) is sent when the call names no limit: by default as
      // max_completion_tokens; as max_tokens, or both, for a server that reads only that.
      const sent: Array<Record<string, unknown>> = [];
      for (const limit of [undefined, 'max_tokens', 'both']) {
        expect((await endpoint('openai', limit)).statusCode).toBe(200);
        llm.up.received.length = 0;
        await ask();
        const { max_tokens, max_completion_tokens } = llm.up.received[0]?.body ?? {};
        sent.push({ max_tokens, max_completion_tokens });
      }
      expect(sent).toEqual([
        { max_tokens: undefined, max_completion_tokens: 1000 },
        { max_tokens: 1000, max_completion_tokens: undefined },
        { max_tokens: 1000, max_completion_tokens: 1000 },
      ]);
      // A server that answers past the bound it was sent is charged what it reports, and named in the log.
      llm.up.behave('upstream-chat', { outputTokens: 1500 });
      const before = await settled();
      await ask();
      expect((await settled()) - before).toBeCloseTo(costOf({ input: 10, output: 1500 }), 9);
      const said = warn.mock.calls.map((c) => String(c[1]));
      expect(said).toContainEqual(
        expect.stringMatching(/openai-local answered with 1500 output tokens, past the call's bound of 1000/),
      );
    } finally {
      warn.mockRestore();
      expect((await endpoint('openai')).statusCode).toBe(200);
    }
  });

  it("records a call billed at a tier above the price as unpriced, and asks for the endpoint's serviceTier when one is set", async () => {
    // The project's (organisation's) default tier is priority: calls that name none are billed at it.
    llm.up.behave('upstream-chat', { defaultTier: 'priority' });
    llm.up.behave('gw-claude', { defaultTier: 'priority' });
    // Today and tomorrow: a test run just before UTC midnight records its later calls on the next day.
    const day = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const db = llm.t.app.database.db;
    const records = async (ids: string[]) => {
      await llm.t.server.llmGateway.flush();
      return db
        .selectFrom('spans')
        .select(['response_id', 'cost_usd', 'unpriced_reason'])
        .where('source', '=', 'llm')
        .where('response_id', 'in', ids)
        .orderBy('response_id')
        .execute();
    };
    const tierCalls = async () => {
      const r = await llm.t.server.inject({
        method: 'GET',
        url: `/v1/costs?groupBy=agent&from=${day}&to=${tomorrow}`,
        headers: admin,
      });
      const row = r.json().rows.find((x: { key: string }) => x.key === 'llm-bot') as
        | { unpriced: { serviceTier: number } }
        | undefined;
      return row?.unpriced.serviceTier ?? 0;
    };
    const tiersBefore = await tierCalls();
    const call = async () => {
      const ids: string[] = [];
      ids.push(
        (await openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }))
          .id,
      );
      const stream = await openai.chat.completions.create({
        model: 'gw-chat',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 5,
        stream: true,
      });
      for await (const c of stream) if (!ids.includes(c.id)) ids.push(c.id);
      ids.push(
        (await anthropic.messages.create({ model: 'gw-claude', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })).id,
      );
      return ids;
    };

    const before = await settled();
    const above = await call();
    // The limits count the least it cost (the Model's price); the evidence says it cannot price it.
    expect((await settled()) - before).toBeCloseTo(3 * costOf(USAGE), 9);
    await until(async () => (await records(above)).length === 3, 'the gateway evidence');
    expect(await records(above)).toEqual(
      above.sort().map((id) => ({ response_id: id, cost_usd: null, unpriced_reason: 'service_tier' })),
    );
    expect(await tierCalls()).toBe(tiersBefore + 3);
    expect(llm.up.received.map((r) => r.body.service_tier)).toEqual([undefined, undefined, undefined]);
    // A stream cut before its usage, at that tier: unpriced too, whatever it is charged.
    llm.up.behave('upstream-chat', { defaultTier: 'priority', outputTokens: 50, stallAfter: 2 });
    const ac = new AbortController();
    const cut = await openai.chat.completions.create(
      { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50, stream: true },
      { signal: ac.signal },
    );
    let cutId = '';
    let deltas = 0;
    try {
      for await (const c of cut) {
        cutId = c.id;
        if (c.choices[0]?.delta.content && ++deltas === 2) ac.abort();
      }
    } catch {
      // the abort
    }
    await until(async () => (await records([cutId])).length === 1, 'the cut stream evidence');
    expect(await records([cutId])).toEqual([{ response_id: cutId, cost_usd: null, unpriced_reason: 'service_tier' }]);
    llm.up.behave('upstream-chat', { defaultTier: 'priority' });

    // An endpoint that names its tier: sent for calls that name none (or auto), so the provider never picks one.
    const endpoint = (api: 'openai' | 'anthropic', serviceTier?: string) => putEndpoint(api, serviceTier ? { serviceTier } : {});
    const wrong = await endpoint('anthropic', 'default');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('/spec/serviceTier');
    expect(wrong.body).toContain('default is not a service tier of the anthropic API: use standard_only');
    try {
      expect((await endpoint('openai', 'default')).statusCode).toBe(200);
      expect((await endpoint('anthropic', 'standard_only')).statusCode).toBe(200);
      llm.up.received.length = 0;
      const pinned = await call();
      expect(llm.up.received.map((r) => r.body.service_tier)).toEqual(['default', 'default', 'standard_only']);
      await until(async () => (await records(pinned)).length === 3, 'the gateway evidence');
      for (const r of await records(pinned)) expect(r).toMatchObject({ unpriced_reason: null, cost_usd: expect.any(Number) });
      // A tier the call names itself (at or below the price) is kept; auto is replaced.
      llm.up.received.length = 0;
      await openai.chat.completions.create({
        model: 'gw-chat',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 5,
        service_tier: 'flex',
      });
      await openai.chat.completions.create({
        model: 'gw-chat',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 5,
        service_tier: 'auto',
      });
      expect(llm.up.received.map((r) => r.body.service_tier)).toEqual(['flex', 'default']);
    } finally {
      expect((await endpoint('openai')).statusCode).toBe(200);
      expect((await endpoint('anthropic')).statusCode).toBe(200);
    }
  });
});
