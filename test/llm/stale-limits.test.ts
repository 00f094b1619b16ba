// Limits and prices changed through one node bind the LLM gateway of another at once, before that node
// polls the registry: the call's decision is made again at its commit against the registry as
// committed, and so is what it reserves (which limits, at what price). Before, the node reserved what
// its stale snapshot held: a SpendLimit added or lowered elsewhere let the call through uncounted.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startCluster, type TestCluster } from '../support/server.js';
import { until } from '../support/wait.js';
import { bindSecret, botDailyLimit, costOf, limitStatus, llmBundle, PRICE } from './fixture.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

const USAGE = { input: 200, output: 5 };

/** A day's SpendLimit on llm-bot, ending with a separator (so that several can follow one another). */
const limit = (name: string, amountUsd: number) => `${botDailyLimit(amountUsd, name)}---\n`;

describe.each(ENGINES)('a node that has not polled the registry reserves what is committed (%s)', (engine) => {
  let up: FakeUpstream;
  let c: TestCluster;
  let ask: () => Promise<unknown>;
  let openai: OpenAI;

  const apply = async (extra: string) => {
    const r = await c.request(0, { method: 'POST', url: '/v1/apply?prune=true', payload: { files: llmBundle(up.url, extra) } });
    expect(r.statusCode, r.body).toBe(200);
  };
  const refusal = async () => {
    const e = await ask().catch((err: unknown) => err);
    expect(e, String(e)).toBeInstanceOf(OpenAI.RateLimitError);
    return (e as InstanceType<typeof OpenAI.RateLimitError>).error as { code: string; limit: string; callMaxUsd: number };
  };
  const status = (name: string) => limitStatus((c.nodes[1] as TestCluster['nodes'][0]).server, name);

  beforeAll(async () => {
    up = await startFakeUpstream({ record: false });
    up.behave('*', { inputTokens: USAGE.input, outputTokens: USAGE.output });
    bindSecret(up.url);
    const node = { registryPollMs: 3_600_000, outboundAllowHosts: [{ host: '127.0.0.1' }] };
    c = await startCluster(engine, [node, node]);
    await apply(limit('roomy', 1));
    const made = (await c.request(0, { method: 'POST', url: '/v1/agents/llm-bot/keys' })).json();
    const url = await (c.nodes[1] as TestCluster['nodes'][0]).server.listen({ host: '127.0.0.1', port: 0 });
    openai = new OpenAI({ baseURL: `${url}/llm/openai/v1`, apiKey: made.key, maxRetries: 0 });
    ask = () =>
      openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 });
    // Node 1 serves a call, so it holds the registry as it was before each change below.
    await ask();
  });
  afterAll(async () => {
    await c?.close();
    await up?.close();
  });

  it('counts a call against a SpendLimit added through the other node, and refuses one it cannot admit', async () => {
    await apply(limit('roomy', 1) + limit('added', 0.01));
    const before = up.calls;
    await ask();
    expect(up.calls).toBe(before + 1);
    // Settled a moment after the answer (in a batch).
    await until(async () => (await status('added')).spentUsd > 0, 'the call to be settled against "added"');
    const added = await status('added');
    expect(added.spentUsd).toBeCloseTo(costOf(USAGE), 9);
    expect(added.reservedUsd).toBe(0);
    expect(added.calls).toBe(1);

    await apply(limit('roomy', 1) + limit('added', 0.01) + limit('tight', costOf(USAGE) / 2));
    const refused = await refusal();
    expect(refused.code).toBe('spend_limit_exceeded');
    expect(refused.limit).toBe('tight');
    expect(up.calls).toBe(before + 1);
  });

  it('refuses a call over a SpendLimit lowered through the other node', async () => {
    await apply(limit('roomy', costOf(USAGE) / 2));
    const before = up.calls;
    const refused = await refusal();
    expect(refused).toMatchObject({ code: 'spend_limit_exceeded', limit: 'roomy' });
    expect(up.calls).toBe(before);
  });

  it('reserves at a price changed through the other node', async () => {
    await apply(limit('roomy', 1));
    // A thousand times the price: the call's worst case is now over the limit's dollar.
    const dear = llmBundle(up.url, limit('roomy', 1)).map((f) =>
      f.path === 'llm.yaml'
        ? {
            ...f,
            content: f.content.replaceAll(
              `inputPerMillion: ${PRICE.input}, outputPerMillion: ${PRICE.output}`,
              `inputPerMillion: ${PRICE.input * 1000}, outputPerMillion: ${PRICE.output * 1000}`,
            ),
          }
        : f,
    );
    expect(dear).not.toEqual(llmBundle(up.url, limit('roomy', 1)));
    const r = await c.request(0, { method: 'POST', url: '/v1/apply?prune=true', payload: { files: dear } });
    expect(r.statusCode, r.body).toBe(200);
    const before = up.calls;
    const refused = await refusal();
    expect(refused).toMatchObject({ code: 'spend_limit_exceeded', limit: 'roomy' });
    expect(refused.callMaxUsd).toBeGreaterThan(1);
    expect(up.calls).toBe(before);
  });

  it.each([
    ['still allowed', false, 'moving'],
    ['banned in the same change', true, 'moved-off'],
  ])('asks for the call again when the name it used moved to another Model meanwhile (the old one %s)', async (_, ban, alias) => {
    // An alias on gw-embed, known to node 1 by a call through it; then moved to gw-chat through node 0
    // (and gw-embed banned: retiring the old Model is the usual reason to move its alias).
    const aliased = (to: string, banEmbed = false) =>
      llmBundle(up.url).map((f) => {
        if (f.path !== 'llm.yaml') return f;
        let content = f.content.replace(
          `metadata: { name: ${to} }\nspec:\n`,
          `metadata: { name: ${to} }\nspec:\n  aliases: [${alias}]\n`,
        );
        if (banEmbed)
          content = content.replace(/(metadata: \{ name: gw-embed \}\nspec:\n(?: {2}.*\n)*? {2}status: )approved/, '$1banned');
        return { ...f, content };
      });
    for (const to of ['gw-embed', 'gw-chat']) expect(aliased(to)).not.toEqual(llmBundle(up.url));
    expect(aliased('gw-chat', true)).not.toEqual(aliased('gw-chat'));
    const applyFiles = async (files: Array<{ path: string; content: string }>) => {
      const r = await c.request(0, { method: 'POST', url: '/v1/apply?prune=true', payload: { files } });
      expect(r.statusCode, r.body).toBe(200);
    };
    await applyFiles(aliased('gw-embed'));
    const call = () =>
      openai.chat.completions.create({ model: alias, messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
    expect((await call()).choices[0]?.message.content).toBeTruthy();
    await applyFiles(aliased('gw-chat', ban));
    const before = up.calls;
    const e = await call().catch((err: unknown) => err);
    expect(e, String(e)).toBeInstanceOf(OpenAI.ConflictError);
    const error = (e as InstanceType<typeof OpenAI.ConflictError>).error as { code: string; message: string };
    expect(error.code).toBe('registry_changed');
    expect(error.message).toMatch(/named Model "gw-embed" when the call was decided and names "gw-chat" now/);
    expect(up.calls).toBe(before);
    // The next call (what the SDK's retry would be) is planned and decided on gw-chat.
    expect((await call()).choices[0]?.message.content).toBeTruthy();
  });
});

describe.each(ENGINES)(
  'a call that waited for room under a limit reserves what is committed when it is admitted (%s)',
  (engine) => {
    let up: FakeUpstream;
    let c: TestCluster;
    let openai: OpenAI;
    // One call's worst case (~1,100 tokens in, 50 out) fits once under `one-at-a-time`, never under `added`.
    const base = limit('one-at-a-time', 0.0018);
    const added = limit('added', 0.0001);

    beforeAll(async () => {
      up = await startFakeUpstream({ record: false });
      bindSecret(up.url);
      const node = { registryPollMs: 3_600_000, outboundAllowHosts: [{ host: '127.0.0.1' }], llmReservationWaitMs: 10_000 };
      c = await startCluster(engine, [node, node]);
      const r = await c.request(0, { method: 'POST', url: '/v1/apply?prune=true', payload: { files: llmBundle(up.url, base) } });
      expect(r.statusCode, r.body).toBe(200);
      const made = (await c.request(0, { method: 'POST', url: '/v1/agents/llm-bot/keys' })).json();
      const url = await (c.nodes[1] as TestCluster['nodes'][0]).server.listen({ host: '127.0.0.1', port: 0 });
      openai = new OpenAI({ baseURL: `${url}/llm/openai/v1`, apiKey: made.key, maxRetries: 0 });
    });
    afterAll(async () => {
      await c?.close();
      await up?.close();
    });

    it('is bound by a SpendLimit added through the other node while it waited', async () => {
      const db = (c.nodes[1] as TestCluster['nodes'][0]).app.database.db;
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
        openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
      const first = call();
      await until(async () => (await held()).length === 1, 'the first call to reserve');
      const second = call().then(
        () => 'forwarded',
        (e: { status?: number; error?: { code?: string; limit?: string } }) => `${e.status} ${e.error?.code} ${e.error?.limit}`,
      );
      // The second call is decided, and waits for room while the first holds its worst case; meanwhile a
      // limit it cannot fit under is added through node 0.
      await until(async () => (await decided()) === 2, 'the second call to be decided');
      const r = await c.request(0, {
        method: 'POST',
        url: '/v1/apply?prune=true',
        payload: { files: llmBundle(up.url, base + added) },
      });
      expect(r.statusCode, r.body).toBe(200);
      await first;
      const before = up.calls;
      expect(await second).toBe('429 spend_limit_exceeded added');
      expect(up.calls).toBe(before);
      expect((await status(c, 'added')).calls).toBe(0);
    });
  },
);

async function status(c: TestCluster, name: string) {
  return limitStatus((c.nodes[0] as TestCluster['nodes'][0]).server, name);
}
