// An LLM gateway call that waits for room under a spend limit (calls in flight hold their worst case)
// was decided before it waited. An agent suspended through another node meanwhile (the kill switch),
// or its Model banned, moves the registry's revision: the call was planned again and forwarded to
// the provider once room came, up to FULCRUM_LLM_RESERVATION_WAIT_MS after the suspension committed;
// so was one whose key was revoked. It is now refused, as its decision at that revision would be.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startCluster, type TestCluster } from '../support/server.js';
import { until } from '../support/wait.js';
import { bindSecret, botDailyLimit, llmBundle } from './fixture.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

describe.each(ENGINES)('a call waiting for room when its agent is suspended through another node (%s)', (engine) => {
  let up: FakeUpstream;
  let c: TestCluster;
  let openai: OpenAI;
  // One call's worst case (~1,100 tokens in, 50 out) fits once under it: the second waits for the first.
  const files = () => llmBundle(up.url, `${botDailyLimit(0.0018, 'one-at-a-time')}---\n`);

  beforeAll(async () => {
    up = await startFakeUpstream({ record: false });
    bindSecret(up.url);
    const node = { registryPollMs: 3_600_000, outboundAllowHosts: [{ host: '127.0.0.1' }], llmReservationWaitMs: 10_000 };
    c = await startCluster(engine, [node, node]);
    const r = await c.request(0, { method: 'POST', url: '/v1/apply?prune=true', payload: { files: files() } });
    expect(r.statusCode, r.body).toBe(200);
    const made = (await c.request(0, { method: 'POST', url: '/v1/agents/llm-bot/keys' })).json();
    const url = await (c.nodes[1] as TestCluster['nodes'][0]).server.listen({ host: '127.0.0.1', port: 0 });
    openai = new OpenAI({ baseURL: `${url}/llm/openai/v1`, apiKey: made.key, maxRetries: 0 });
  });
  afterAll(async () => {
    await c?.close();
    await up?.close();
  });

  /** Two calls, the second waiting for room while the first holds its worst case; `meanwhile` runs through
   *  node 0 once the second is decided. What the second call came to. */
  const secondCallAfter = async (meanwhile: () => Promise<void>, key?: string) => {
    const db = (c.nodes[1] as TestCluster['nodes'][0]).app.database.db;
    const client = key ? new OpenAI({ baseURL: openai.baseURL, apiKey: key, maxRetries: 0 }) : openai;
    const decided = async () =>
      (
        await db
          .selectFrom('audit_entries')
          .select('id')
          .where('kind', '=', 'decision')
          .where('action', '=', 'model.call')
          .execute()
      ).length;
    const held = () => db.selectFrom('llm_reservations').selectAll().execute();
    up.behave('upstream-chat', { latencyMs: 2000 });
    const call = () =>
      client.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
    await until(async () => (await held()).length === 0, 'earlier calls to settle');
    const was = await decided();
    const first = call();
    await until(async () => (await held()).length === 1, 'the first call to reserve');
    const second = call().then(
      () => 'forwarded',
      (e: { status?: number; error?: { code?: string; policy?: string } }) =>
        `${e.status} ${e.error?.code}${e.error?.policy ? ` ${e.error.policy}` : ''}`,
    );
    await until(async () => (await decided()) === was + 2, 'the second call to be decided');
    await meanwhile();
    const before = up.calls;
    await first;
    const outcome = await second;
    expect(up.calls).toBe(before);
    return outcome;
  };

  it('is not forwarded once room comes when its key was revoked meanwhile', async () => {
    const made = (await c.request(0, { method: 'POST', url: '/v1/agents/llm-bot/keys' })).json();
    const outcome = await secondCallAfter(async () => {
      const r = await c.request(0, { method: 'DELETE', url: `/v1/agents/llm-bot/keys/${made.id}` });
      expect(r.statusCode, r.body).toBe(204);
    }, made.key);
    expect(outcome).toBe('401 unauthorized');
  });

  it('is not forwarded once room comes when its agent was suspended meanwhile', async () => {
    const outcome = await secondCallAfter(async () => {
      const r = await c.request(0, { method: 'POST', url: '/v1/agents/llm-bot/suspend', payload: { reason: 'kill switch' } });
      expect(r.statusCode, r.body).toBe(200);
    });
    expect(outcome).toBe('403 model_not_allowed builtin/agent-status');
  });
});
