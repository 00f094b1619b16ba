// An agent key revoked through one node is refused by the LLM gateway of another node at once, before
// that node polls the registry: the call's decision, made against the key table the node holds, is
// refused at its commit (401 in the API's own error format), and nothing reaches the provider.
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { ADMIN_TOKEN, startNode } from '../support/server.js';
import { bindSecret, llmBundle } from './fixture.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
let up: FakeUpstream;
let database: TestDatabase;
const nodes: Array<Awaited<ReturnType<typeof startNode>>> = [];

beforeAll(async () => {
  up = await startFakeUpstream();
  bindSecret(up.url);
  database = await createTestDatabase('sqlite');
  for (let i = 0; i < 2; i++)
    nodes.push(await startNode(database, { registryPollMs: 3_600_000, outboundAllowHosts: [{ host: '127.0.0.1' }] }));
  const applied = await nodes[0]?.server.inject({
    method: 'POST',
    url: '/v1/apply',
    headers: auth,
    payload: { files: llmBundle(up.url) },
  });
  expect(applied?.statusCode, applied?.body).toBe(200);
});
afterAll(async () => {
  for (const n of nodes) {
    await n.server.close();
    await (n.app as App).close();
  }
  await database?.drop();
  await up?.close();
});

it('refuses a call on one node with a key revoked through the other', async () => {
  const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
  const made = (await a.server.inject({ method: 'POST', url: '/v1/agents/llm-bot/keys', headers: auth })).json();
  const url = await b.server.listen({ host: '127.0.0.1', port: 0 });
  const openai = new OpenAI({ baseURL: `${url}/llm/openai/v1`, apiKey: made.key, maxRetries: 0 });
  const ask = () =>
    openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
  // Node B serves a call with the key, so it holds the key as valid when A revokes it.
  expect((await ask()).choices[0]?.message.content).toBeTruthy();
  const served = up.calls;
  const revoked = await a.server.inject({ method: 'DELETE', url: `/v1/agents/llm-bot/keys/${made.id}`, headers: auth });
  expect(revoked.statusCode, revoked.body).toBe(204);
  const refused = await ask().catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).message).toMatch(/unknown or revoked agent key/);
  expect(up.calls).toBe(served);
});
