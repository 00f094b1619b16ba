// The LLM gateway on /metrics: each call counted once by what became of it (fulcrum_llm_calls_total),
// Fulcrum's own refusals by their code, the provider's time by endpoint (streamed or not) and the tokens
// charged by Model; through the real OpenAI and Anthropic SDKs against the tests' provider.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/server.js';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

/** Every sample of a metric family, by its labels as Prometheus prints them (`{a="x",b="y"}`). */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(name.length, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

describe('LLM gateway metrics', () => {
  // Each scrape rendered afresh (the default caches one for a second).
  const llm = useLlmStack('sqlite', { config: { metricsCacheMs: 0 } });
  let openai: OpenAI;
  let anthropic: Anthropic;
  const scrape = async () => (await llm.t.server.inject({ method: 'GET', url: '/metrics' })).body;
  /** How much each series of `name` grew during `act`. */
  async function grew(names: string[], act: () => Promise<unknown>): Promise<Record<string, Record<string, number>>> {
    const before = await scrape();
    await act();
    const after = await scrape();
    const out: Record<string, Record<string, number>> = {};
    for (const name of names) {
      const b = samples(before, name);
      const d: Record<string, number> = {};
      for (const [labels, v] of samples(after, name)) if (v !== (b.get(labels) ?? 0)) d[labels] = v - (b.get(labels) ?? 0);
      out[name] = d;
    }
    return out;
  }
  const CALLS = 'fulcrum_llm_calls_total';
  const chat = (model: string, more: object = {}) =>
    openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 20, ...more });

  beforeAll(async () => {
    openai = new OpenAI({ baseURL: `${llm.url}/llm/openai/v1`, apiKey: llm.key, maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: `${llm.url}/llm/anthropic`, apiKey: llm.key, maxRetries: 0 });
  });
  beforeEach(() => llm.up.behave('*', {}));

  it('counts an answered call, its provider time and the tokens it was charged', async () => {
    llm.up.behave('upstream-chat', { inputTokens: 12, outputTokens: 7, latencyMs: 30 });
    const d = await grew(
      [CALLS, 'fulcrum_llm_tokens_total', 'fulcrum_llm_upstream_seconds_count', 'fulcrum_llm_upstream_seconds_sum'],
      () => chat('gw-chat'),
    );
    expect(d[CALLS]).toEqual({ '{api="openai",outcome="answered"}': 1 });
    expect(d.fulcrum_llm_tokens_total).toEqual({ '{model="gw-chat",kind="input"}': 12, '{model="gw-chat",kind="output"}': 7 });
    expect(d.fulcrum_llm_upstream_seconds_count).toEqual({ '{endpoint="openai-local",stream="false"}': 1 });
    // The provider waited 30 ms before answering: the time is the provider's, not a constant.
    expect(d.fulcrum_llm_upstream_seconds_sum?.['{endpoint="openai-local",stream="false"}']).toBeGreaterThanOrEqual(0.03);
  });

  it('times a stream to its last event, by endpoint', async () => {
    llm.up.behave('gw-claude', { outputTokens: 4, intervalMs: 15 });
    const d = await grew([CALLS, 'fulcrum_llm_upstream_seconds_count', 'fulcrum_llm_upstream_seconds_sum'], () =>
      anthropic.messages
        .stream({ model: 'gw-claude', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
        .finalMessage(),
    );
    expect(d[CALLS]).toEqual({ '{api="anthropic",outcome="answered"}': 1 });
    expect(d.fulcrum_llm_upstream_seconds_count).toEqual({ '{endpoint="anthropic-local",stream="true"}': 1 });
    // Four events 15 ms apart: at least three intervals passed before the last.
    expect(d.fulcrum_llm_upstream_seconds_sum?.['{endpoint="anthropic-local",stream="true"}']).toBeGreaterThanOrEqual(0.045);
  });

  it("counts Fulcrum's refusals once each, by their code, and never as the provider's", async () => {
    const d = await grew([CALLS, 'fulcrum_llm_refusals_total', 'fulcrum_llm_upstream_seconds_count'], async () => {
      await expect(chat('gw-banned')).rejects.toMatchObject({ status: 403, code: 'model_not_allowed' });
      await expect(chat('gw-unpriced')).rejects.toMatchObject({ status: 403, code: 'model_unpriced' });
      await expect(chat('no-such-model')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
      const noKey = new OpenAI({ baseURL: `${llm.url}/llm/openai/v1`, apiKey: 'fak_not-a-key', maxRetries: 0 });
      await expect(noKey.chat.completions.create({ model: 'gw-chat', messages: [], max_tokens: 5 })).rejects.toMatchObject({
        status: 401,
      });
    });
    expect(d[CALLS]).toEqual({ '{api="openai",outcome="refused"}': 4 });
    expect(Object.keys(d.fulcrum_llm_refusals_total ?? {}).sort()).toEqual([
      '{code="model_not_allowed"}',
      '{code="model_not_found"}',
      '{code="model_unpriced"}',
      '{code="unauthorized"}',
    ]);
    expect(d.fulcrum_llm_upstream_seconds_count).toEqual({});
  });

  it("tells the provider's own error answers from a provider Fulcrum could not use", async () => {
    llm.up.behave('upstream-chat', { error: { status: 500, body: { error: { message: 'boom' } } } });
    const provider = await grew([CALLS, 'fulcrum_llm_upstream_seconds_count'], () =>
      expect(chat('gw-chat')).rejects.toMatchObject({ status: 500 }),
    );
    expect(provider[CALLS]).toEqual({ '{api="openai",outcome="provider_error"}': 1 });
    expect(provider.fulcrum_llm_upstream_seconds_count).toEqual({ '{endpoint="openai-local",stream="false"}': 1 });
    // A streamed call answered with an error comes whole, and is timed as a whole answer.
    const streamedError = await grew(['fulcrum_llm_upstream_seconds_count'], () =>
      expect(chat('gw-chat', { stream: true })).rejects.toMatchObject({ status: 500 }),
    );
    expect(streamedError.fulcrum_llm_upstream_seconds_count).toEqual({ '{endpoint="openai-local",stream="false"}': 1 });

    // The provider refusing Fulcrum's own credential is answered 502: Fulcrum could not use it.
    llm.up.behave('upstream-chat', { error: { status: 401, body: { error: { message: 'bad key' } } } });
    const refusedKey = await grew([CALLS], () => expect(chat('gw-chat')).rejects.toMatchObject({ status: 502 }));
    expect(refusedKey[CALLS]).toEqual({ '{api="openai",outcome="upstream_failed"}': 1 });

    // An endpoint nobody listens on: never reached.
    const closed = await grew([CALLS, 'fulcrum_llm_refusals_total'], async () => {
      const put = await llm.t.server.inject({
        method: 'PUT',
        url: '/v1/model-endpoints/openai-local',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { spec: { api: 'openai', baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 5000 } },
      });
      expect(put.statusCode, put.body).toBe(200);
      try {
        await expect(chat('gw-chat')).rejects.toMatchObject({ status: 502, code: 'upstream_unavailable' });
      } finally {
        const back = await llm.t.server.inject({
          method: 'PUT',
          url: '/v1/model-endpoints/openai-local',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          payload: {
            spec: {
              api: 'openai',
              baseUrl: `${llm.up.url}/v1`,
              credential: { env: 'FULCRUM_SECRET_LLM_TEST' },
              timeoutMs: 20000,
            },
          },
        });
        expect(back.statusCode, back.body).toBe(200);
      }
    });
    expect(closed[CALLS]).toEqual({ '{api="openai",outcome="upstream_failed"}': 1 });
    expect(closed.fulcrum_llm_refusals_total).toEqual({});
  });

  it('counts a stream the client left as cancelled, with no provider time', async () => {
    llm.up.behave('upstream-chat', { outputTokens: 50, stallAfter: 2 });
    const before = samples(await scrape(), CALLS).get('{api="openai",outcome="cancelled"}') ?? 0;
    const timed0 =
      samples(await scrape(), 'fulcrum_llm_upstream_seconds_count').get('{endpoint="openai-local",stream="true"}') ?? 0;
    const stream = await openai.chat.completions.create({
      model: 'gw-chat',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 50,
      stream: true,
    });
    let seen = 0;
    // Leaving the loop aborts the SDK's request: the client is gone mid-stream.
    for await (const _ of stream) if (++seen === 2) break;
    expect(seen).toBe(2);
    // The gateway hears the client go and ends the call: awaited, bounded by the test's timeout.
    await until(
      async () => (samples(await scrape(), CALLS).get('{api="openai",outcome="cancelled"}') ?? 0) > before,
      'the gateway to count the call cancelled',
    );
    expect(
      samples(await scrape(), 'fulcrum_llm_upstream_seconds_count').get('{endpoint="openai-local",stream="true"}') ?? 0,
    ).toBe(timed0);
  });
});
