// An upstream that floods a call's SSE answer with messages. Each costs the gateway's event loop some
// 65 µs to read, check and route (found by review), so one tool sending notifications as fast as the
// socket takes them kept the node's loop busy, for every agent, until the call's timeout. A stream
// may carry a burst of STREAM_EVENTS_BURST events, then STREAM_EVENTS_PER_SECOND: past that it is
// closed and the call fails, saying why. A tool that honestly reports its progress is not affected.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STREAM_EVENTS_BURST, STREAM_EVENTS_PER_SECOND } from '../../src/mcp/http-transport.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { operatorAllows, PEERS, type Peer, startPeer } from './peers.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

const bundle = (url: string) => [
  ...readBundle(MINI),
  {
    path: 'flood.yaml',
    content: `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: flood }
spec: { transport: http, url: ${JSON.stringify(url)}, timeoutMs: 60000 }
---
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: flood.flood }
spec: { system: flood, effect: read, dataDomains: [], arguments: { type: object } }
---
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: flood.steady }
spec: { system: flood, effect: read, dataDomains: [], arguments: { type: object } }
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: flood-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [flood.flood, flood.steady]
`,
  },
];

describe('MCP gateway: an upstream flooding a call with messages', () => {
  let t: TestServer;
  let peer: Peer;
  let url: string;
  let key: string;

  beforeAll(async () => {
    peer = await startPeer([path.join(PEERS, 'flood-http.mjs')]);
    t = await startTestServer('sqlite', operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle(peer.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/flood-bot/keys' })).json().key;
    url = `${await t.server.listen({ host: '127.0.0.1', port: 0 })}/mcp`;
  });
  afterAll(async () => {
    await t?.close();
    await peer?.stop();
  });

  const call = async (tool: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: tool, arguments: {} } }),
      // Before, the call waited for the McpServer's timeout (60 s here) with the loop busy throughout.
      signal: AbortSignal.timeout(30_000),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { result: { isError?: boolean; content: Array<{ text: string }> } };
  };

  it('closes a flooded stream and fails the call, saying why in the log', async () => {
    const warn = vi.spyOn(t.server.log, 'warn');
    try {
      const r = await call('flood_flood');
      expect(r.result.isError).toBe(true);
      expect(r.result.content[0]?.text).toBe(
        'upstream MCP server "flood" failed to answer tools/call flood (the Fulcrum server log says why)',
      );
      const details = warn.mock.calls.map(([entry]) => String((entry as { detail?: unknown }).detail));
      expect(details.join('\n')).toContain(
        `the upstream sent more than ${STREAM_EVENTS_BURST} messages at once or ${STREAM_EVENTS_PER_SECOND} a second on one answer's stream: closed`,
      );
    } finally {
      warn.mockRestore();
    }
  });

  it("passes an honest tool's log messages and answer, and calls after a flood", async () => {
    const r = await call('flood_steady');
    expect(r.result).toEqual({ content: [{ type: 'text', text: 'done' }], _meta: expect.anything() });
  });
});
