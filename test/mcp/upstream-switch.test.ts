// An HTTP upstream replaced, at the same URL, by one of the other protocol generation (a redeploy).
// Which generation a connection speaks is asked once, when it opens. A 2026-07-28 connection to a
// server now of 2025-11-25 that answers the modern request anyway, 2025-shaped (a lenient server),
// kept failing every call, "not JSON-RPC", until the node restarted; a strict one (an HTTP 400) and
// the way back already reconnected. The connection is now dropped on such an answer: the next call
// asks again and is answered.
import http from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { operatorAllows, PEERS, type Peer, startModernUpstream, startPeer } from './peers.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

const bundle = (url: string) => [
  ...readBundle(MINI),
  {
    path: 'switch.yaml',
    content: `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: sw }
spec: { transport: http, url: ${JSON.stringify(url)} }
---
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: sw.echo }
spec: { system: sw, effect: read, dataDomains: [], arguments: { type: object } }
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: switch-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [sw.echo]
`,
  },
];

describe('MCP gateway: an upstream that changes protocol generation at its URL', () => {
  let t: TestServer;
  let modern: Peer;
  let legacy: Peer;
  let front: http.Server;
  let agent: Client;
  /** Where the front forwards to: the upstream now at the URL. */
  let behind = '';

  beforeAll(async () => {
    modern = await startModernUpstream('reject');
    legacy = await startPeer([path.join(PEERS, 'legacy-upstream.mjs')]);
    front = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const r = await fetch(behind, { method: req.method, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
      const out: Record<string, string> = {};
      r.headers.forEach((v, k) => {
        if (k !== 'content-length' && k !== 'transfer-encoding') out[k] = v;
      });
      res.writeHead(r.status, out).end(Buffer.from(await r.arrayBuffer()));
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as { port: number }).port}/mcp`;
    t = await startTestServer('sqlite', operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle(url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/switch-bot/keys' })).json().key;
    const gateway = await t.server.listen({ host: '127.0.0.1', port: 0 });
    agent = new Client({ name: 'switch-agent', version: '1' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${gateway}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
  });
  afterAll(async () => {
    await agent?.close();
    await t?.close();
    front?.close();
    await modern?.stop();
    await legacy?.stop();
  });

  const echo = async () => {
    const r = (await agent.callTool({ name: 'sw_echo', arguments: { message: 'm' } })) as CallToolResult;
    return (r.content[0] as { text: string }).text;
  };

  it('speaks 2025-11-25 again on the call after a 2025 answer to a 2026 request', async () => {
    behind = modern.url;
    expect(await echo()).toBe('Echo: m');
    behind = legacy.url;
    // The call that finds out fails (its answer is not a 2026-07-28 one); the next is asked afresh.
    expect(await echo()).toBe('upstream MCP server "sw" sent an answer that is not JSON-RPC to tools/call echo');
    expect(await echo()).toBe('Echo: m');
    expect(await echo()).toBe('Echo: m');
  });
});
