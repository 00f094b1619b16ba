// A long-context tariff (Model spec.pricing[].longContext): OpenAI bills a GPT-5.4 call with more than
// 272K input tokens at 2× input and 1.5× output for the whole call, Anthropic a long-context call over
// 200K at its premium rates. Without it, such calls were priced at the base rates: spans and the
// gateway's settlements counted them low, and a spend limit reserved a worst case below what the
// provider bills. Here the threshold is 100 tokens, so small calls cross it.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPriceBook } from '../../src/evidence/cost.js';
import { RegistrySnapshot } from '../../src/registry/model.js';
import { until } from '../support/wait.js';
import { limitedAgent, limitStatus, llmBundle, SECRET_ENV, useLlmStack } from './fixture.js';

const BASE = { inputPerMillion: 1, outputPerMillion: 2, cachedInputPerMillion: 0.5 };
const LONG = { aboveInputTokens: 100, inputPerMillion: 2, outputPerMillion: 3, cachedInputPerMillion: 1 };

const modelYaml = (name: string, longContext: Record<string, number> | undefined, endpoint = '') => `
apiVersion: fulcrum/v1
kind: Model
metadata: { name: ${name} }
spec:
  provider: openai
  hosting: vendor
  regions: [eu-west-1]
  status: approved
  maxClassification: confidential
  maxOutputTokens: 50
  pricing:
    - { from: "2020-01-01", currency: USD, inputPerMillion: ${BASE.inputPerMillion}, outputPerMillion: ${BASE.outputPerMillion}, cachedInputPerMillion: ${BASE.cachedInputPerMillion}${longContext ? `, longContext: ${JSON.stringify(longContext)}` : ''} }
${endpoint ? `  endpoint: ${endpoint}\n` : ''}---`;

describe('a long-context tariff, priced', () => {
  const registry = new RegistrySnapshot([
    {
      kind: 'Model' as const,
      name: 'lc',
      labels: {},
      spec: {
        provider: 'openai',
        hosting: 'vendor' as const,
        regions: [],
        status: 'approved' as const,
        maxClassification: 'internal' as const,
        pricing: [{ from: '2020-01-01', currency: 'USD', ...BASE, longContext: LONG }],
      },
    },
  ]);
  const price = (t: { input: number; output: number; cached?: number; cacheWrite?: number }) =>
    createPriceBook(registry).price('lc', '2026-12-01', { cached: null, ...t }).cost;

  it('bills a call at the base rates up to the threshold, and the whole call at its rates past it', () => {
    expect(price({ input: 100, output: 10 })).toBeCloseTo((100 * 1 + 10 * 2) / 1e6, 12);
    expect(price({ input: 101, output: 10 })).toBeCloseTo((101 * 2 + 10 * 3) / 1e6, 12);
    // Cache reads count toward the input (OpenTelemetry's convention) and are billed at the long rate.
    expect(price({ input: 150, output: 10, cached: 100 })).toBeCloseTo((50 * 2 + 100 * 1 + 10 * 3) / 1e6, 12);
    // Cache counts reported apart from the input (Anthropic's usage) are added to it: over the threshold.
    expect(price({ input: 60, output: 0, cached: 70 })).toBeCloseTo((60 * 2 + 70 * 1) / 1e6, 12);
  });
});

describe('a long-context tariff at the LLM gateway', () => {
  const llm = useLlmStack('sqlite', {
    scripted: true,
    agent: 'lc-bot',
    bundle: (upstream) => {
      const extra = `${limitedAgent('lc-bot', 1)}\n${modelYaml('lc-chat', LONG, 'openai-local')}\n${modelYaml('lc-twin', undefined, 'openai-local')}`;
      return llmBundle(upstream, extra).map((f) =>
        f.path === 'llm.yaml'
          ? { ...f, content: f.content.replace('models: [gw-chat,', 'models: [lc-chat, lc-twin, gw-chat,') }
          : f,
      );
    },
  });

  beforeAll(() => {
    expect(process.env[SECRET_ENV]).toBeDefined();
  });

  it('settles a call whose input is over the threshold at the long-context rates', async () => {
    llm.up.behave('lc-chat', { usage: { prompt_tokens: 300, completion_tokens: 20, total_tokens: 320 } });
    const before = await limitStatus(llm.t.server, 'lc-bot-daily');
    const r = await fetch(`${llm.url}/llm/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llm.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'lc-chat', max_tokens: 20, messages: [{ role: 'user', content: 'a long prompt' }] }),
    });
    expect(r.status, await r.text()).toBe(200);
    await until(async () => (await limitStatus(llm.t.server, 'lc-bot-daily')).reservedUsd === 0, 'the call to be settled');
    const after = await limitStatus(llm.t.server, 'lc-bot-daily');
    expect(after.spentUsd - before.spentUsd).toBeCloseTo((300 * 2 + 20 * 3) / 1e6, 9);
  });

  it('reserves the worst case at the long-context rates when the input bound is over the threshold', async () => {
    // The same call to lc-chat and to its twin without the tariff (the same base prices), each held at
    // the provider while its reservation is read. The input bound B is the same for both (over 100):
    // the twin reserves B × 1 + 20 × 2 millionths of a dollar, lc-chat B × 2 + 20 × 3.
    const reserved = async (model: string) => {
      llm.up.behave(model, { latencyMs: 2000 });
      const call = fetch(`${llm.url}/llm/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${llm.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, max_tokens: 20, messages: [{ role: 'user', content: 'x'.repeat(60) }] }),
      });
      await until(async () => (await limitStatus(llm.t.server, 'lc-bot-daily')).reservedUsd > 0, 'the call to be reserved');
      const usd = (await limitStatus(llm.t.server, 'lc-bot-daily')).reservedUsd;
      expect((await call).status).toBe(200);
      await until(async () => (await limitStatus(llm.t.server, 'lc-bot-daily')).reservedUsd === 0, 'the call to be settled');
      return Math.round(usd * 1e6);
    };
    const twin = await reserved('lc-twin');
    const long = await reserved('lc-chat');
    const bound = twin - 20 * 2;
    expect(bound).toBeGreaterThan(LONG.aboveInputTokens);
    expect(long).toBe(bound * 2 + 20 * 3);
  });

  it('refuses a Model whose long-context rate is below the base one, naming the field', async () => {
    const r = await llm.t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: {
        files: [{ path: 'cheap.yaml', content: modelYaml('lc-cheap', { ...LONG, outputPerMillion: 1 }) }],
      },
    });
    expect(r.statusCode).toBe(422);
    expect(r.body).toContain('/spec/pricing/0/longContext/outputPerMillion');
    expect(r.body).toContain('is below the base one (2)');
  });
});
