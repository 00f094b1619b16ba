// Spend limits that never overshoot: 200 concurrent calls (the real OpenAI SDK) against a limit that
// admits about 50 settle at or under the limit, and stop no earlier than one worst-case call before
// it; on one node (every engine) and on two nodes sharing one PostgreSQL database.
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { startNode } from '../support/server.js';
import { until } from '../support/wait.js';
import { applyAndKey, bindSecret, costOf, limitStatus, llmBundle } from './fixture.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

// Each call reports 1,000 input and 5 output tokens but may produce 500: its worst case (the
// prompt's bound, ~1,100 tokens, plus 500 output) is about twice what it costs.
const USAGE = { input: 1000, output: 5 };
const CALLS = 200;
const ADMITS = 50.5;
const AMOUNT = Math.round(costOf(USAGE) * ADMITS * 1e6) / 1e6;
const LIMIT = `
apiVersion: fulcrum/v1
kind: SpendLimit
metadata: { name: burst }
spec:
  scope: { initiative: support-deflection }
  period: day
  amountUsd: ${AMOUNT}
`;

interface Node {
  app: App;
  server: FastifyInstance;
  url: string;
}

async function startNodes(database: TestDatabase, n: number): Promise<Node[]> {
  const nodes: Node[] = [];
  for (let i = 0; i < n; i++) {
    const { app, server } = await startNode(database, { outboundAllowHosts: [{ host: '127.0.0.1' }] });
    nodes.push({ app, server, url: await server.listen({ host: '127.0.0.1', port: 0 }) });
  }
  return nodes;
}

/**
 * Waits until every node knows the agent: a node learns of registry changes made on another within
 * its poll interval (250 ms), and until then refuses the new agent's key (see the guard's
 * authenticateAgent).
 */
async function knownEverywhere(nodes: Node[], key: string) {
  for (const n of nodes)
    for (let i = 0; ; i++) {
      const r = await fetch(`${n.url}/llm/openai/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      if (r.status === 200) break;
      if (i > 100) throw new Error(`node ${n.url} never knew the agent: ${r.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/** Fires `CALLS` calls at once, spread over the nodes; counts answers by kind. */
async function burst(nodes: Node[], key: string) {
  const clients = nodes.map(
    (n) => new OpenAI({ baseURL: `${n.url}/llm/openai/v1`, apiKey: key, maxRetries: 0, timeout: 60_000 }),
  );
  let worstUsd = 0;
  const answers = await Promise.all(
    Array.from({ length: CALLS }, (_, i) =>
      (clients[i % clients.length] as OpenAI).chat.completions
        .create({ model: 'gw-chat', messages: [{ role: 'user', content: `call ${i}` }], max_tokens: 500 })
        .then(
          () => 'ok' as const,
          (e) => {
            if (e instanceof OpenAI.RateLimitError && (e.error as { code?: string }).code === 'spend_limit_exceeded') {
              worstUsd = Math.max(worstUsd, (e.error as { callMaxUsd: number }).callMaxUsd);
              return 'limit' as const;
            }
            return `${e.status}: ${e.message}` as const;
          },
        ),
    ),
  );
  return { ok: answers.filter((a) => a === 'ok').length, limit: answers.filter((a) => a === 'limit').length, answers, worstUsd };
}

async function settledStatus(server: FastifyInstance) {
  await until(async () => (await limitStatus(server, 'burst')).reservedUsd === 0, 'the reservations to settle', {
    timeoutMs: 10_000,
  });
  return limitStatus(server, 'burst');
}

function expectAtTheLimit(result: Awaited<ReturnType<typeof burst>>, spentUsd: number) {
  const other = result.answers.filter((a) => a !== 'ok' && a !== 'limit');
  expect(other).toEqual([]);
  expect(result.ok + result.limit).toBe(CALLS);
  // Settled at or under the limit …
  expect(spentUsd).toBeLessThanOrEqual(AMOUNT);
  // … and stopped no earlier than one worst-case call before it.
  expect(result.worstUsd).toBeGreaterThan(costOf(USAGE));
  expect(spentUsd).toBeGreaterThanOrEqual(AMOUNT - result.worstUsd);
  // Every admitted call was charged what it used, nothing more.
  expect(spentUsd).toBeCloseTo(result.ok * costOf(USAGE), 9);
}

describe.each(ENGINES)('spend limits under a burst, one node (%s)', (engine) => {
  let database: TestDatabase;
  let up: FakeUpstream;
  let nodes: Node[] = [];

  beforeAll(async () => {
    up = await startFakeUpstream({ record: false });
    up.behave('*', { inputTokens: USAGE.input, outputTokens: USAGE.output, latencyMs: 20 });
    bindSecret(up.url);
    database = await createTestDatabase(engine);
    nodes = await startNodes(database, 1);
  });
  afterAll(async () => {
    for (const n of nodes) {
      await n.server.close();
      await n.app.close();
    }
    await database?.drop();
    await up?.close();
  });

  it(`${CALLS} concurrent calls against a limit that admits about ${ADMITS} stop at it, never past it`, async () => {
    const [node] = nodes as [Node];
    const key = await applyAndKey(node.server, llmBundle(up.url, LIMIT));
    const result = await burst(nodes, key);
    const s = await settledStatus(node.server);
    expectAtTheLimit(result, s.spentUsd);
    expect(up.calls).toBe(result.ok);
    expect(s.burnDown.at(-1)?.spentUsd).toBeCloseTo(s.spentUsd, 9);
  }, 120_000);
});

describe.skipIf(!ENGINES.includes('postgres'))('spend limits under a burst, two nodes on PostgreSQL', () => {
  let database: TestDatabase;
  let up: FakeUpstream;
  let nodes: Node[] = [];

  beforeAll(async () => {
    up = await startFakeUpstream({ record: false });
    up.behave('*', { inputTokens: USAGE.input, outputTokens: USAGE.output, latencyMs: 20 });
    bindSecret(up.url);
    database = await createTestDatabase('postgres');
    nodes = await startNodes(database, 2);
  });
  afterAll(async () => {
    for (const n of nodes) {
      await n.server.close();
      await n.app.close();
    }
    await database?.drop();
    await up?.close();
  });

  it(`${CALLS} concurrent calls over two nodes share one limit and stop at it, never past it`, async () => {
    const [a, b] = nodes as [Node, Node];
    const key = await applyAndKey(a.server, llmBundle(up.url, LIMIT));
    await knownEverywhere(nodes, key);
    const result = await burst(nodes, key);
    const s = await settledStatus(b.server);
    expectAtTheLimit(result, s.spentUsd);
    expect(up.calls).toBe(result.ok);
  }, 120_000);
});
