// An agent key revoked through one node is refused by the LLM gateway of another node at once, before
// that node polls the registry: the call's decision, made against the key table the node holds, is
// refused at its commit (401 in the API's own error format), and nothing reaches the provider.
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type TestCluster } from '../support/server.js';
import { bindSecret, llmBundle } from './fixture.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

let up: FakeUpstream;
let c: TestCluster;

beforeAll(async () => {
  up = await startFakeUpstream();
  bindSecret(up.url);
  const node = { registryPollMs: 3_600_000, outboundAllowHosts: [{ host: '127.0.0.1' }] };
  c = await startCluster('sqlite', [node, node]);
  const applied = await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files: llmBundle(up.url) } });
  expect(applied.statusCode, applied.body).toBe(200);
});
afterAll(async () => {
  await c?.close();
  await up?.close();
});

it('refuses a call on one node with a key revoked through the other', async () => {
  const made = (await c.request(0, { method: 'POST', url: '/v1/agents/llm-bot/keys' })).json();
  const url = await (c.nodes[1] as TestCluster['nodes'][0]).server.listen({ host: '127.0.0.1', port: 0 });
  const openai = new OpenAI({ baseURL: `${url}/llm/openai/v1`, apiKey: made.key, maxRetries: 0 });
  const ask = () =>
    openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
  // Node 1 serves a call with the key, so it holds the key as valid when node 0 revokes it.
  expect((await ask()).choices[0]?.message.content).toBeTruthy();
  const served = up.calls;
  const revoked = await c.request(0, { method: 'DELETE', url: `/v1/agents/llm-bot/keys/${made.id}` });
  expect(revoked.statusCode, revoked.body).toBe(204);
  const refused = await ask().catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).message).toMatch(/unknown or revoked agent key/);
  expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).headers?.get('www-authenticate')).toMatch(
    /^Bearer realm="fulcrum", error="invalid_token"/,
  );
  expect(up.calls).toBe(served);
});
