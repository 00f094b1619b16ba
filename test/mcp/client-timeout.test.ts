// A 2025-11-25 call waiting for a person whose client gives up on it by its own timeout. The SDK 1.x
// client (and LangChain's and the AI SDK's, built on it) does not close the request's POST when a
// request times out: it sends `notifications/cancelled` for it in another POST. The gateway dropped
// that (its id is the client's, and the node's one SDK server knows requests only by ids it
// renumbered), so the call went on waiting behind a POST nobody read: once a person approved, it
// spent the approval and ran the tool with nobody to hear the result, and the model's retry found the
// approval spent. Now the cancellation ends the agent's own request that it names, as a closed
// connection does: the call stops waiting and leaves the approval to the retry.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { gatewayBundle, post } from './fixture.js';
import { operatorAllows, type Peer, startEverythingHttp } from './peers.js';

describe('a call waiting for a person that its client cancels (2025-11-25)', () => {
  let t: TestServer;
  let upstream: Peer;
  let client: Client;
  let url: string;
  /** The tools/call POSTs the client sent, each with whether its answer has come back. */
  const posts: Array<{ body: string; answered: boolean }> = [];

  beforeAll(async () => {
    upstream = await startEverythingHttp();
    t = await startTestServer('sqlite', operatorAllows());
    const files = gatewayBundle(upstream.url, '', { httpApprovalWaitSeconds: 60 });
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/mcp-bot/keys' })).json().key as string;
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    // The SDK's own fetch, watched: each tools/call POST, and when its answer has come back whole.
    const watched: typeof fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      if (!body.includes('"tools/call"')) return fetch(input, init);
      const post = { body, answered: false };
      posts.push(post);
      const res = await fetch(input, init);
      res
        .clone()
        .text()
        .then(() => {
          post.answered = true;
        })
        .catch(() => {});
      return res;
    };
    client = new Client({ name: 'timing-out-agent', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
        fetch: watched,
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
    await upstream?.stop();
  });

  it('stops waiting once the client cancels, and leaves the approval to the retry', async () => {
    const args = { a: 700, b: 7 };
    await expect(client.callTool({ name: 'web_get-sum', arguments: args }, undefined, { timeout: 1000 })).rejects.toThrow(
      /timed out/i,
    );
    const pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items as Array<{
      id: string;
    }>;
    expect(pending).toHaveLength(1);
    const id = pending[0]?.id as string;
    // The cancelled call's POST is answered: the gateway no longer holds the call (before, for the
    // McpServer's whole approvalWaitSeconds).
    expect(posts).toHaveLength(1);
    await until(async () => posts[0]?.answered === true, 'the cancelled call to end', { timeoutMs: 15_000 });

    expect((await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: {} })).statusCode).toBe(200);
    const retried = (await client.callTool({ name: 'web_get-sum', arguments: args })) as CallToolResult;
    expect(retried.isError, JSON.stringify(retried)).toBeFalsy();
    expect((retried.content[0] as { text: string }).text).toContain('707');
    const approval = (await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json();
    expect(approval).toMatchObject({ status: 'used', usedDecisionId: retried._meta?.['fulcrum/decisionId'] });
  });

  it('is not cancelled by another agent, or another key of the same agent, naming the same id', async () => {
    const key = async (agent: string) =>
      (await t.request({ method: 'POST', url: `/v1/agents/${agent}/keys` })).json().key as string;
    const [own, sibling, other] = [await key('mcp-bot'), await key('mcp-bot'), await key('web-bot')];
    const args = { a: 600, b: 6 };
    const call = post(url, own, {
      jsonrpc: '2.0',
      id: 'x-1',
      method: 'tools/call',
      params: { name: 'web_get-sum', arguments: args },
    });
    const pending = async () =>
      (
        (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items as Array<{
          id: string;
          arguments: unknown;
        }>
      ).filter((a) => JSON.stringify(a.arguments) === JSON.stringify(args));
    await until(async () => (await pending()).length === 1, 'the approval to open');
    const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'x-1' } };
    for (const k of [other, sibling]) expect((await post(url, k, cancel)).status).toBe(202);
    const id = (await pending())[0]?.id as string;
    expect((await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: {} })).statusCode).toBe(200);
    const answer = (await (await call).json()) as { id: string; result: CallToolResult };
    expect(answer.id).toBe('x-1');
    expect(answer.result.isError, JSON.stringify(answer)).toBeFalsy();
    expect((answer.result.content[0] as { text: string }).text).toContain('606');
  });
});
