// The LLM gateway's evidence while PostgreSQL does not take it (a hung connection, held here by
// pausing the first insert into spans): the spans held in memory are bounded, the ones past the bound
// are dropped and counted, and the gateway's calls keep answering.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { pauseQuery } from '../support/pause.js';
import { startNode } from '../support/server.js';
import { applyAndKey, bindSecret, llmBundle } from './fixture.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

const MAX_SPANS = 5;

describe.skipIf(!ENGINES.includes('postgres'))('LLM gateway evidence while the database hangs (postgres)', () => {
  let database: TestDatabase;
  let node: { app: App; server: import('fastify').FastifyInstance };
  let up: FakeUpstream;
  // Holds the first query on spans (only the evidence writer's transaction makes one), its
  // transaction open, until released.
  const hang = pauseQuery({
    query: (n) => JSON.stringify(n, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes('spans'),
  });

  beforeAll(async () => {
    up = await startFakeUpstream();
    bindSecret(up.url);
    database = await createTestDatabase('postgres');
    node = await startNode(
      database,
      { outboundAllowHosts: [{ host: '127.0.0.1' }], llmEvidenceMaxSpans: MAX_SPANS },
      hang.plugin,
    );
  });
  afterAll(async () => {
    hang.release();
    node?.server.server.closeAllConnections();
    await node?.server.close();
    await node?.app.close();
    await database?.drop();
    await up?.close();
  });

  it('holds at most llmEvidenceMaxSpans spans, drops and counts the rest, and keeps answering', async () => {
    const url = await node.server.listen({ host: '127.0.0.1', port: 0 });
    const key = await applyAndKey(node.server, llmBundle(up.url));
    const openai = new OpenAI({ baseURL: `${url}/llm/openai/v1`, apiKey: key, maxRetries: 0 });
    const chat = () =>
      openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });

    // The first call's record goes to the database, which does not answer.
    await chat();
    await hang.paused;
    // Every call is answered while the database hangs.
    for (let i = 0; i < 12; i++) expect((await chat()).choices[0]?.message.content).toBe('tok tok tok tok tok ');

    // Held: the batch being written and MAX_SPANS − 1 more; the other 8 dropped, counted and logged.
    const metrics = await node.server.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain(`fulcrum_gateway_spans_dropped_total{gateway="llm"} ${13 - MAX_SPANS}`);

    hang.release();
    await node.server.llmGateway.flush();
    const stored = await node.app.database.db.selectFrom('spans').select('span_id').where('source', '=', 'llm').execute();
    expect(stored).toHaveLength(MAX_SPANS);
    expect(node.server.llmGateway.failures()).toBe(0);
  });
});
