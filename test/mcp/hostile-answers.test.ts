// What a hostile upstream's answer may not do to the agent's side of the gateway.
//
// An upstream's answer nested deeper than JSON.stringify can go (20 KB of brackets, far under the
// size bound) reached the agent's side of the gateway as it was: the 2025 JSON answer and the 2026
// plain one were a 500, the 2026 SDK's stream never ended, and the 2025 stream's failure was an
// unhandled rejection, which ends a Node process. Such an answer is now refused at the pool, as
// every other malformed answer is: a tool error for the agent, whichever protocol it speaks.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { operatorAllows, PEERS, type Peer, startPeer } from './peers.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const MODERN = '2026-07-28';
const envelope = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };

const bundle = (url: string) => [
  ...readBundle(MINI),
  {
    path: 'deep.yaml',
    content: `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: deep }
spec: { transport: http, url: ${JSON.stringify(url)} }
---
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: deep.deep }
spec: { system: deep, effect: read, dataDomains: [], arguments: { type: object } }
---
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: deep.spoof }
spec: { system: deep, effect: read, dataDomains: [], arguments: { type: object } }
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: deep-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [deep.deep, deep.spoof]
`,
  },
];

describe('MCP gateway: a hostile upstream answer', () => {
  let t: TestServer;
  let peer: Peer;
  let url: string;
  let key: string;

  beforeAll(async () => {
    peer = await startPeer([path.join(PEERS, 'hostile-http.mjs')]);
    t = await startTestServer('sqlite', operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle(peer.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/deep-bot/keys' })).json().key;
    url = `${await t.server.listen({ host: '127.0.0.1', port: 0 })}/mcp`;
  });
  afterAll(async () => {
    await t?.close();
    await peer?.stop();
  });

  /** The call's JSON-RPC answer: the body, or the last message of an SSE stream. */
  async function call(
    meta: Record<string, unknown>,
    headers: Record<string, string>,
    tool = 'deep_deep',
    args: Record<string, unknown> = {},
  ) {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: tool, arguments: args, _meta: meta },
      }),
      // Before, one way's answer never ended.
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const last = res.headers.get('content-type')?.startsWith('text/event-stream')
      ? (text
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .at(-1)
          ?.slice(6) ?? '')
      : text;
    return { status: res.status, body: JSON.parse(last), headers: res.headers };
  }

  const modern = (tool: string) => ({ 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': tool });
  const ways: Array<[string, Record<string, unknown>, (tool: string) => Record<string, string>]> = [
    ['2025-11-25, JSON', {}, () => ({ 'mcp-protocol-version': '2025-11-25' })],
    ['2025-11-25, a stream (progress asked)', { progressToken: 1 }, () => ({ 'mcp-protocol-version': '2025-11-25' })],
    ['2026-07-28, the plain path', envelope, modern],
    ['2026-07-28, the SDK handler (progress asked)', { ...envelope, progressToken: 1 }, modern],
  ];

  it.each(ways)('%s: nested too deeply, a tool error saying so', async (_way, meta, headers) => {
    const r = await call(meta, headers('deep_deep'));
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(7);
    expect(r.body.result.isError).toBe(true);
    expect(r.body.result.content[0].text).toBe(
      'upstream MCP server "deep" sent an answer to tools/call deep nested deeper than 64 levels, which Fulcrum does not pass on',
    );
    expect(r.body.result._meta['fulcrum/decisionId']).toMatch(/^dec_/);
  });

  // A tool's answer is the agent's data: no cache may keep it, streamed or not (a stream said only
  // `no-cache`, stored then revalidated, found by review), and no browser may sniff it into a page.
  it.each(ways)('%s: the answer may not be stored nor sniffed', async (_way, meta, headers) => {
    const r = await call(meta, headers('deep_deep'), 'deep_deep', { depth: 1 });
    expect(r.status).toBe(200);
    expect(r.body.result.isError).toBeUndefined();
    expect([r.headers.get('cache-control'), r.headers.get('x-content-type-options')]).toEqual(['no-store', 'nosniff']);
  });

  it('passes on an answer nested 64 levels deep, counting the result itself', async () => {
    // The result, its structuredContent and `depth` arrays: 2 + depth levels.
    const at = await call({}, { 'mcp-protocol-version': '2025-11-25' }, 'deep_deep', { depth: 62 });
    expect(at.body.result.isError).toBeUndefined();
    expect(JSON.stringify(at.body.result.structuredContent.x)).toBe(`${'['.repeat(62)}${']'.repeat(62)}`);
    const past = await call({}, { 'mcp-protocol-version': '2025-11-25' }, 'deep_deep', { depth: 63 });
    expect(past.body.result.isError).toBe(true);
  });

  it('an answer it cannot write on a 2025 stream is an internal error, not the end of the process', async () => {
    // Whatever made an answer unwritable (the bound above keeps upstreams' out): the stream's failure
    // was an unhandled rejection, which ends a Node process.
    const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const spy = vi
      .spyOn(t.app.mcp.gateway, 'callTool')
      .mockResolvedValueOnce({ content: [{ type: 'text', text: 'deep' }], structuredContent: { x: deep } });
    try {
      const cut = await call({ progressToken: 1 }, { 'mcp-protocol-version': '2025-11-25' });
      expect(cut.status).toBe(200);
      expect(cut.body).toEqual({
        jsonrpc: '2.0',
        id: 7,
        error: { code: -32603, message: 'internal error: Fulcrum could not write the answer (its log says why)' },
      });
    } finally {
      spy.mockRestore();
    }
    // The node goes on serving.
    const next = await call({ progressToken: 2 }, { 'mcp-protocol-version': '2025-11-25' });
    expect(next.body.result.isError).toBe(true);
  });

  it.each(ways)("%s: the answer's _meta cannot pass for the gateway's", async (way, meta, headers) => {
    const r = await call(meta, headers('deep_spoof'), 'deep_spoof');
    expect(r.body.result.content[0].text).toBe('spoofed');
    const got = r.body.result._meta;
    expect(got['fulcrum/decisionId']).toMatch(/^dec_/);
    expect(got['fulcrum/decisionId']).not.toBe('dec_forged');
    // The gateway's own identity on 2026-07-28, none on 2025-11-25 (it has initialize for that).
    expect(got['io.modelcontextprotocol/serverInfo']).toEqual(
      way.startsWith('2026') ? { name: 'fulcrum', version: '1' } : undefined,
    );
    expect(got['acme/trace']).toBe('kept');
    // Nor may it say, in the 2026 result's own fields, what only the gateway says to the agent.
    expect(r.body.result.resultType).toBe(way.startsWith('2026') ? 'complete' : undefined);
    expect(r.body.result.ttlMs).toBeUndefined();
  });
});
