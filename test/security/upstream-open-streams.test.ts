// An upstream that answers a call in an SSE stream and never ends the stream. Each such stream held
// one of the upstream's 64 sockets for good: from the 65th call on, every call to that upstream waited
// for a socket until it timed out ("did not answer tools/call t within N ms", though it was never
// sent), for as long as the node ran. A stream still open a moment after its answer is now closed
// from Fulcrum's side (src/mcp/http-transport.ts, ANSWERED_STREAM_GRACE_MS), and so is the body of a
// 202 that accepted a notification or an answer to its own request and never ended.
import type http from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../mcp/fixture.js';
import { operatorAllows } from '../mcp/peers.js';
import { readMini } from '../support/files.js';
import { startRpcUpstream } from '../support/rpc-upstream.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

/** A 2025-11-25 upstream whose tools/call answers come in SSE streams it leaves open. */
async function startHolder() {
  const state = { answered: 0, open: 0 };
  const held = (res: http.ServerResponse) => {
    state.open++;
    res.once('close', () => state.open--);
  };
  const upstream = await startRpcUpstream(
    'hs',
    (msg, { res }) => {
      if (msg.method !== 'tools/call') return false;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // `hang` is never answered (the gateway gives it up, and cancels it).
      if (msg.params.name === 'hang') {
        held(res);
        return true;
      }
      // `pings` first sends pings of its own, which the gateway's client answers.
      if (msg.params.name === 'pings')
        for (let i = 1; i <= 100; i++) res.write(`event: message\ndata: {"jsonrpc":"2.0","id":"ping-${i}","method":"ping"}\n\n`);
      const answer = { jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: `answer ${msg.id}` }] } };
      res.write(`event: message\ndata: ${JSON.stringify(answer)}\n\n`);
      state.answered++;
      held(res); // and never ends the stream
      return true;
    },
    // A notification, or an answer to one of its pings: accepted, in a body it never ends; a
    // cancellation refused, in an error body it never ends.
    (msg, res) => {
      res.writeHead(msg.method === 'notifications/cancelled' ? 500 : 202).write(' ');
      held(res);
      return true;
    },
  );
  return { ...upstream, state };
}

describe('an upstream that leaves its answers’ SSE streams open', () => {
  let t: TestServer;
  let up: Awaited<ReturnType<typeof startHolder>>;
  let url: string;
  let key: string;
  beforeAll(async () => {
    up = await startHolder();
    t = await startTestServer('sqlite', operatorAllows());
    const content =
      `apiVersion: fulcrum/v1\nkind: McpServer\nmetadata: { name: hs }\nspec: { transport: http, url: ${JSON.stringify(up.url)}, timeoutMs: 2000 }\n---\n` +
      'apiVersion: fulcrum/v1\nkind: Tool\nmetadata: { name: hs.t }\nspec: { system: hs, effect: read, dataDomains: [], arguments: { type: object } }\n---\n' +
      'apiVersion: fulcrum/v1\nkind: Tool\nmetadata: { name: hs.hang }\nspec: { system: hs, effect: read, dataDomains: [], arguments: { type: object } }\n---\n' +
      'apiVersion: fulcrum/v1\nkind: Tool\nmetadata: { name: hs.pings }\nspec: { system: hs, effect: read, dataDomains: [], arguments: { type: object } }\n---\n' +
      'apiVersion: fulcrum/v1\nkind: Agent\nmetadata: { name: hs-bot }\nspec:\n  initiative: support-deflection\n  owner: dana.lee\n  framework: openai-agents-sdk\n  extraTools: [hs.t, hs.pings, hs.hang]\n';
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: [...readMini(), { path: 'hs.yaml', content }] },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/hs-bot/keys' })).json().key as string;
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await up?.close();
    await t?.close();
  });

  const call = async (name: string, id: number) => {
    const r = await post(url, key, { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });
    return (((await r.json()) as { result: CallToolResult }).result.content[0] as { text: string }).text;
  };

  it('answers every call, past the 64 sockets the streams would hold, and closes the streams', async () => {
    for (let id = 1; id <= 70; id++) expect(await call('hs.t', id), `call ${id}`).toMatch(/^answer \d+$/);
    expect(up.state.answered).toBe(70);
    await until(async () => up.state.open === 0, 'the answered streams to be closed');
  });

  it('closes the bodies of what it accepted with a 202 and never ended (answers to its pings), and goes on', async () => {
    // Pings, the answers to which (a few of each call's hundred) the upstream accepts in bodies it never ends.
    for (let id = 101; id <= 110; id++) expect(await call('hs.pings', id), `call ${id}`).toMatch(/^answer \d+$/);
    // Before, those bodies held every socket by now: this call waited for one until it timed out.
    expect(await call('hs.t', 111)).toMatch(/^answer \d+$/);
    await until(async () => up.state.open === 0, 'what the gateway sent to be closed');
  });

  it('closes the error bodies it never ends (refusing the cancellations of calls it never answered), and goes on', async () => {
    // Seventy calls it never answers, given up at the McpServer's timeoutMs, thirty at a time (an
    // agent's bound on calls in flight is 32): each gives up with a notifications/cancelled.
    for (let round = 0; round < 3; round++)
      await Promise.all(
        Array.from({ length: round < 2 ? 30 : 10 }, async (_, i) => {
          expect(await call('hs.hang', 200 + round * 30 + i)).toMatch(/did not answer tools\/call hang within 2000 ms/);
        }),
      );
    // Before, the refusals' bodies held every socket by now: this call waited for one until it timed out.
    expect(await call('hs.t', 300)).toMatch(/^answer \d+$/);
    await until(async () => up.state.open === 0, 'the given-up calls and the refusals to be closed');
  }, 30_000);
});
