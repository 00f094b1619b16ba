// Embeddings through the LLM gateway by a client whose instrumentation records them too: each call is
// recorded twice (the gateway's record and the client's embedding span, with the call's tokens), and
// neither carries a response id (the embeddings API answers none). Each call must count once, at the
// gateway's price (docs/llm-gateway.md, "Evidence"). Found by attack, session 38: both counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costOf, startLlmStack } from '../llm/fixture.js';
import type { FakeUpstream } from '../llm/upstream.js';
import { ENGINES } from '../support/databases.js';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { runInstrumentedClient } from './instrumented-client.js';

const CASES = ENGINES.flatMap((engine) => ['otel', 'openinference'].map((which) => ({ engine, which })));

describe.each(CASES)('embeddings through the gateway with $which client spans ($engine)', ({ engine, which }) => {
  let t: TestServer;
  let up: FakeUpstream;
  let url: string;
  let key: string;

  beforeAll(async () => {
    ({ t, up, url, key } = await startLlmStack(engine));
  });
  afterAll(async () => {
    await t?.close();
    await up?.close();
  });

  it('counts each call once, at the gateway’s price', async () => {
    await runInstrumentedClient(which, {
      OPENAI_BASE_URL: `${url}/llm/openai/v1`,
      FULCRUM_OTLP_URL: `${url}/otlp/v1/traces`,
      FULCRUM_KEY: key,
      MODEL: 'gw-embed',
      EMBED: '1',
    });
    const db = t.app.database.db;
    // The client's spans are stored when its export is answered; the gateway's records when flushed.
    await until(async () => {
      await t.server.llmGateway.flush();
      const n = await db.selectFrom('spans').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(n.n) >= 4;
    }, 'the two records of each call');
    const stored = await db.selectFrom('spans').select(['source', 'operation', 'model', 'input_tokens', 'duplicate']).execute();
    // Both records of each call are kept: the client's as the duplicate.
    expect(stored.filter((s) => s.source !== 'llm').map((s) => [s.operation, s.model, s.duplicate])).toEqual([
      ['embeddings', 'gw-embed', 1],
      ['embeddings', 'gw-embed', 1],
    ]);
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const r = await t.request({ method: 'GET', url: `/v1/costs?groupBy=agent&from=${day}&to=${tomorrow}` });
    const row = r.json().rows.find((x: { key: string }) => x.key === 'llm-bot');
    expect(row).toMatchObject({ calls: 2, unpricedCalls: 0 });
    expect(row.costUsd).toBeCloseTo(2 * costOf({ input: 10, output: 0 }), 12);
  });
});
