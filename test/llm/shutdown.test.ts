// A node that stops while an LLM gateway stream is running: when its grace runs out the stream is
// cut, and the call is settled and recorded before the database closes (charged for what it
// produced, its reservation released). Before, the cut call finished after the gateway had written
// what it held: nothing charged, the worst case left reserved until the sweep dropped it.
import OpenAI from 'openai';
import { afterAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { applyAndKey, bindSecret, botDailyLimit, costOf, llmBundle } from './fixture.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

const LIMIT = botDailyLimit(100);

let up: FakeUpstream | undefined;
let t: TestServer | undefined;
let handle: DatabaseHandle | undefined;
afterAll(async () => {
  await handle?.destroy();
  await t?.database.drop();
  await up?.close();
});

it('settles and records a stream its stopping node cut, before the database closes', async () => {
  up = await startFakeUpstream();
  bindSecret(up.url);
  t = await startTestServer('sqlite', { outboundAllowHosts: [{ host: '127.0.0.1' }], shutdownGraceMs: 200 });
  const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  const key = await applyAndKey(t.server, llmBundle(up.url, LIMIT));
  // The provider streams 4 tokens, then holds the stream open.
  up.behave('upstream-chat', { outputTokens: 50, stallAfter: 4 });
  const openai = new OpenAI({ baseURL: `${url}/llm/openai/v1`, apiKey: key, maxRetries: 0 });
  const stream = await openai.chat.completions.create({
    model: 'gw-chat',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 50,
    stream: true,
  });
  let fourth: () => void = () => {};
  const produced = new Promise<void>((r) => {
    fourth = r;
  });
  const reading = (async () => {
    let deltas = 0;
    try {
      for await (const c of stream) if (c.choices[0]?.delta.content && ++deltas === 4) fourth();
    } catch {
      // cut by the stopping node
    }
  })();
  await produced;
  // The node stops as `fulcrum serve` does: the server (its grace cuts the stream), then the app.
  await t.server.close();
  await t.app.close();
  await reading;

  handle = t.database.open();
  const db = handle.db;
  expect(await db.selectFrom('llm_reservations').selectAll().execute()).toEqual([]);
  const usage = await db.selectFrom('spend_limit_usage').selectAll().where('limit_name', '=', 'bot-daily').execute();
  expect(usage).toHaveLength(1);
  expect(usage[0]?.reserved_micro).toBe(0);
  // Charged for what was produced (4 tokens, and the prompt bound), not nothing.
  expect(Number(usage[0]?.spent_micro)).toBeGreaterThan(costOf({ input: 0, output: 4 }) * 1e6);
  const spans = await db.selectFrom('spans').select(['output_tokens', 'error_type']).where('source', '=', 'llm').execute();
  expect(spans).toEqual([{ output_tokens: 4, error_type: 'cancelled' }]);
});
