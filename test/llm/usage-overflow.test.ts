// A provider (or a proxy in front of it) answering with token counts past what a span's column holds
// on PostgreSQL (2^31 − 1): Anthropic's input is the sum of three counts, each up to that. Recorded as
// a call whose usage is unknown, charged its worst case, and the other agents' calls written with it
// in one evidence batch are still recorded.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { gate } from '../support/pause.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { applyAndKey, bindSecret, botDailyLimit, limitedAgent, limitStatus, llmBundle } from './fixture.js';
import { type Scripted, startScripted } from './scripted-upstream.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

describe.skipIf(!ENGINES.includes('postgres'))('LLM gateway usage past a span column (postgres)', () => {
  let t: TestServer;
  let up: FakeUpstream;
  let sc: Scripted;
  let url: string;

  beforeAll(async () => {
    up = await startFakeUpstream();
    sc = await startScripted(up.url);
    bindSecret(sc.url);
    t = await startTestServer('postgres', { outboundAllowHosts: [{ host: '127.0.0.1' }] });
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    t?.server.server.closeAllConnections();
    await t?.close();
    await sc?.close();
    await up?.close();
  });

  it('records an Anthropic usage summing past 2^31 − 1 as unknown, charges the worst case, and keeps the batch', async () => {
    const files = llmBundle(sc.url, `${botDailyLimit(1000)}---\n${limitedAgent('other-bot', 1000)}`);
    const botKey = await applyAndKey(t.server, files);
    const otherKey = await applyAndKey(t.server, files, 'other-bot');
    // Input 2e9 plus 2e9 read from the cache: each count is readable, their sum is not storable.
    up.behave('gw-claude', { inputTokens: 4_000_000_000, cachedTokens: 2_000_000_000 });

    // Every answer is held until all calls reached the provider, then let go at once: their records
    // arrive together and are written in one evidence batch.
    const answers = gate();
    const calls = 5;
    const held = async (
      req: import('node:http').IncomingMessage,
      body: Record<string, unknown>,
      res: import('node:http').ServerResponse,
    ) => {
      if (sc.received.length === calls) answers.release();
      await answers.stop();
      const r = await fetch(`${up.url}${req.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
    };
    sc.scripts.set('gw-claude', held);
    sc.scripts.set('upstream-chat', held);

    const anthropic = new Anthropic({ baseURL: `${url}/llm/anthropic`, apiKey: botKey, maxRetries: 0 });
    const openai = (key: string) => new OpenAI({ baseURL: `${url}/llm/openai/v1`, apiKey: key, maxRetries: 0 });
    const chat = (key: string) =>
      openai(key).chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
    const [claude] = await Promise.all([
      anthropic.messages.create({ model: 'gw-claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }),
      chat(botKey),
      chat(botKey),
      chat(otherKey),
      chat(otherKey),
    ]);
    expect(claude.usage.input_tokens).toBe(2_000_000_000);
    await t.server.llmGateway.flush();

    const spans = await t.app.database.db
      .selectFrom('spans')
      .select(['agent', 'model', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_usd', 'unpriced_reason'])
      .where('source', '=', 'llm')
      .execute();
    // Every call is recorded, the other agent's included.
    expect(
      spans
        .filter((s) => s.model === 'gw-chat')
        .map((s) => s.agent)
        .sort(),
    ).toEqual(['llm-bot', 'llm-bot', 'other-bot', 'other-bot']);
    // The one Fulcrum cannot store is a call whose usage is unknown: no count clamped to a wrong one.
    expect(spans.filter((s) => s.model === 'gw-claude')).toEqual([
      {
        agent: 'llm-bot',
        model: 'gw-claude',
        input_tokens: null,
        output_tokens: null,
        cached_tokens: null,
        cost_usd: null,
        unpriced_reason: 'no_usage',
      },
    ]);
    expect(t.server.llmGateway.failures()).toBe(0);

    // Settled at the call's worst case (its body and max_tokens at the price): cents, not the
    // 4,000 USD the reported sum would cost.
    let s = await limitStatus(t.server, 'bot-daily');
    await until(async () => {
      s = await limitStatus(t.server, 'bot-daily');
      return s.reservedUsd === 0;
    }, 'the calls to settle');
    expect(s.spentUsd).toBeGreaterThan(0);
    expect(s.spentUsd).toBeLessThan(0.01);
  });

  it('records a streamed Anthropic usage summing past 2^31 − 1 as unknown too', async () => {
    sc.scripts.clear();
    const botKey = await applyAndKey(
      t.server,
      llmBundle(sc.url, `${botDailyLimit(1000)}---\n${limitedAgent('other-bot', 1000)}`),
    );
    up.behave('gw-claude', { inputTokens: 4_000_000_000, cachedTokens: 2_000_000_000 });
    const before = (await limitStatus(t.server, 'bot-daily')).spentUsd;
    const anthropic = new Anthropic({ baseURL: `${url}/llm/anthropic`, apiKey: botKey, maxRetries: 0 });
    const stream = anthropic.messages.stream({
      model: 'gw-claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const message = await stream.finalMessage();
    await t.server.llmGateway.flush();
    const span = await t.app.database.db
      .selectFrom('spans')
      .select(['input_tokens', 'cost_usd', 'unpriced_reason'])
      .where('response_id', '=', message.id)
      .executeTakeFirstOrThrow();
    expect(span).toEqual({ input_tokens: null, cost_usd: null, unpriced_reason: 'no_usage' });
    let s = await limitStatus(t.server, 'bot-daily');
    await until(async () => {
      s = await limitStatus(t.server, 'bot-daily');
      return s.reservedUsd === 0;
    }, 'the call to settle');
    expect(s.spentUsd - before).toBeGreaterThan(0);
    expect(s.spentUsd - before).toBeLessThan(0.01);
  });
});
