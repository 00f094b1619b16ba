// GET /v1/costs read every (agent, model) sum of the window and grouped, sorted and cut them in
// JavaScript: a window of thousands of agents and model names was read whole to answer its top 5.
// The grouping, the order and the cut happen in SQL now: the server reads the rows it answers with,
// and the answer is the one it was (the sums, the "(no model)" and "(unregistered)" groups, most
// spend first, then most calls, then the key).
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceDailyTable } from '../../src/db/schema.js';
import type { CostRow } from '../../src/evidence/costs.js';
import { ZERO } from '../../src/evidence/evidence-store.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { MINI, readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startNode } from '../support/server.js';

/** Rows the node's queries of evidence_daily returned while `counting` is on. */
function rowsRead() {
  const daily = new Set<unknown>();
  const seen = { counting: false, rows: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      if (seen.counting && mentionsDaily(node)) daily.add(queryId);
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      if (daily.delete(queryId)) seen.rows += result.rows.length;
      return result;
    },
  };
  return { plugin, seen };
}
const mentionsDaily = (node: RootOperationNode) => JSON.stringify(node).includes('"evidence_daily"');

describe.each(ENGINES)('GET /v1/costs groups in SQL (%s)', (engine) => {
  let database: TestDatabase;
  let node: Awaited<ReturnType<typeof startNode>>;
  const read = rowsRead();
  const days = [0, 1, 2].map((n) => new Date(Date.now() - (n + 1) * 86_400_000).toISOString().slice(0, 10));
  const rows: EvidenceDailyTable[] = [];
  const get = async (query: string) => {
    read.seen.rows = 0;
    read.seen.counting = true;
    try {
      const res = await node.server.inject({
        method: 'GET',
        url: `/v1/costs?from=${days[2]}&to=${days[0]}&${query}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      return { ...(res.json() as { rows: CostRow[]; totalRows: number }), read: read.seen.rows };
    } finally {
      read.seen.counting = false;
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    node = await startNode(database, {}, read.plugin);
    const applied = await node.server.inject({
      method: 'POST',
      url: '/v1/apply',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { files: readBundle(MINI) },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    // The registered agent and 30 agents the registry does not know, each with a task row (no model)
    // and model rows over three days; agent i spends i cents a day on model m-(i % 7), with i + 1
    // calls, two of them unpriced. Agent 4 spends agent 5's 5 cents and a hundredth of a micro-dollar
    // more: to the micro-dollar they spend the same, and agent 5, with more calls, comes first.
    const agents = ['support-bot-eu', ...Array.from({ length: 30 }, (_, i) => `shadow-${String(i + 1).padStart(2, '0')}`)];
    for (const [i, agent] of agents.entries())
      for (const day of days) {
        // Self-reported cost and a call that named no model, on one of the registered agent's task rows.
        const noModel =
          i === 0 && day === days[1]
            ? { cost_reported_usd: 0.5, model_calls: 1, unpriced_calls: 1, unpriced_unknown_model: 1 }
            : {};
        rows.push({ ...ZERO, day, agent, model: '', tasks_resolved: 1, handled: 1, handle_ms: 100, spans: 1, ...noModel });
        rows.push({
          ...ZERO,
          day,
          agent,
          model: `m-${i % 7}`,
          cost_measured_usd: i === 4 ? 0.05 + 1e-8 : i / 100,
          input_tokens: 1000 * i,
          output_tokens: 10 * i,
          model_calls: i + 1,
          unpriced_calls: 2,
          unpriced_unknown_model: 1,
          unpriced_no_usage: 1,
          spans: i + 1,
        });
      }
    const { db } = node.app.database;
    for (let i = 0; i < rows.length; i += 100)
      await db
        .insertInto('evidence_daily')
        .values(rows.slice(i, i + 100))
        .execute();
  });
  afterAll(async () => {
    await node?.server.close();
    await node?.app.close();
    await database?.drop();
  });

  /** What the answer is: every group of the window, summed, most spend first (to the micro-dollar), then calls, then key. */
  function expected(groupOf: (r: EvidenceDailyTable) => string | null): CostRow[] {
    const groups = new Map<string, CostRow>();
    for (const r of rows) {
      const key = groupOf(r);
      if (key === null) continue;
      const g = groups.get(key) ?? {
        key,
        costUsd: 0,
        inputTokens: 0,
        outputTokens: 0,
        calls: 0,
        unpricedCalls: 0,
        unpriced: { unknownModel: 0, noPrice: 0, noUsage: 0, serviceTier: 0 },
      };
      groups.set(key, g);
      g.costUsd += r.cost_measured_usd + r.cost_reported_usd;
      g.inputTokens += r.input_tokens;
      g.outputTokens += r.output_tokens;
      g.calls += r.model_calls;
      g.unpricedCalls += r.unpriced_calls;
      g.unpriced.unknownModel += r.unpriced_unknown_model;
      g.unpriced.noUsage += r.unpriced_no_usage;
    }
    return [...groups.values()]
      .map((g) => ({ ...g, costUsd: Math.round(g.costUsd * 1e6) / 1e6 }))
      .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  const empty = (r: EvidenceDailyTable) =>
    r.cost_measured_usd + r.cost_reported_usd === 0 && r.model_calls === 0 && r.input_tokens === 0 && r.output_tokens === 0;

  it.each([
    ['agent', (r: EvidenceDailyTable) => r.agent],
    ['model', (r: EvidenceDailyTable) => (r.model === '' ? (empty(r) ? null : '(no model)') : r.model)],
    ['initiative', (r: EvidenceDailyTable) => (r.agent === 'support-bot-eu' ? 'support-deflection' : '(unregistered)')],
    ['business-unit', (r: EvidenceDailyTable) => (r.agent === 'support-bot-eu' ? 'cx' : '(unregistered)')],
  ] as const)('grouped by %s: the same answer, and no more rows read than answered', async (groupBy, groupOf) => {
    const all = expected(groupOf);
    const whole = await get(`groupBy=${groupBy}`);
    expect(whole.totalRows).toBe(all.length);
    expect(whole.rows.map((r) => ({ ...r, costUsd: Number(r.costUsd.toFixed(6)) }))).toEqual(all);
    const top = await get(`groupBy=${groupBy}&limit=2`);
    expect(top.totalRows).toBe(all.length);
    expect(top.rows.map((r) => r.key)).toEqual(all.slice(0, 2).map((r) => r.key));
    expect(top.read).toBeLessThanOrEqual(2);
  });

  /** GET /v1/costs of one day, by agent. */
  const costsOn = (day: string) =>
    node.server.inject({
      method: 'GET',
      url: `/v1/costs?from=${day}&to=${day}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });

  // A cost is a cost (src/money.ts): two input tokens of gpt-4o-mini, $0.0000003, were answered as 0 by
  // rounding to the micro-dollar, and `fulcrum costs` printed $0.00 for it; under $0.0005 a cost keeps
  // four significant digits now, and the order follows what is answered.
  it('answers a cost under half a micro-dollar as it is, not as 0, and orders by it', async () => {
    const day = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    await node.app.database.db
      .insertInto('evidence_daily')
      .values([
        { ...ZERO, day, agent: 'few-tokens', model: 'gpt-4o-mini', cost_measured_usd: 3e-7, model_calls: 1 },
        { ...ZERO, day, agent: 'fewer-tokens', model: 'gpt-4o-mini', cost_measured_usd: 1.5e-7, model_calls: 2 },
        { ...ZERO, day, agent: 'a-micro-dollar', model: 'gpt-4o-mini', cost_measured_usd: 1.25e-6, model_calls: 1 },
      ])
      .execute();
    const res = await costsOn(day);
    expect(res.json().rows.map((r: CostRow) => [r.key, r.costUsd])).toEqual([
      ['a-micro-dollar', 0.00000125],
      ['few-tokens', 0.0000003],
      ['fewer-tokens', 0.00000015],
    ]);
  });

  // What a group's rows sum to below the pico-dollar is floating-point noise (src/money.ts): calls counted
  // and taken back left 2.776e-17, answered as a cost (`fulcrum costs`: "< $0.000000000001"). And the order
  // follows what is answered: $3.4e-12 came after $3e-12 (the order rounded both to 3 pico-dollars).
  it('answers noise below the pico-dollar as 0, and orders by what it answers', async () => {
    const day = new Date(Date.now() - 11 * 86_400_000).toISOString().slice(0, 10);
    await node.app.database.db
      .insertInto('evidence_daily')
      .values([
        { ...ZERO, day, agent: 'taken-back', model: 'gpt-4o-mini', cost_measured_usd: 0.1 + 0.2 - 0.1 - 0.2 },
        { ...ZERO, day, agent: 'three-pico', model: 'gpt-4o-mini', cost_measured_usd: 3e-12, model_calls: 5 },
        { ...ZERO, day, agent: 'more-pico', model: 'gpt-4o-mini', cost_measured_usd: 3.4e-12, model_calls: 1 },
      ])
      .execute();
    const res = await costsOn(day);
    const answered = res.json().rows.map((r: CostRow) => [r.key, r.costUsd]);
    expect(answered).toContainEqual(['taken-back', 0]);
    const costs = answered.map(([, c]: [string, number]) => c);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
  });

  it('an empty window answers no rows', async () => {
    const res = await node.server.inject({
      method: 'GET',
      url: '/v1/costs?from=2001-01-01&to=2001-01-31',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.json()).toMatchObject({ rows: [], totalRows: 0 });
  });
});
