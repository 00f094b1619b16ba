// An upstream that floods a call's SSE answer with notifications. Each message costs the gateway's event
// loop some 70 µs to check and route (the SDK's schema and handlers), so one tool sending notifications
// as fast as the socket took them held the node's loop, for every agent, until the call's timeout:
// 200,000 took 14 s, a concurrent /healthz waiting up to 1.3 s. Now a stream hands on a burst and then
// a rate of messages; past that its notifications and requests are dropped after JSON.parse alone and
// counted (fulcrum_mcp_upstream_messages_dropped_total), its answer still delivered; a stream that goes
// on past STREAM_DROPPED_MAX drops is closed and its call fails. A tool that honestly reports its
// progress is not affected.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STREAM_DROPPED_MAX, STREAM_MESSAGES_BURST, STREAM_MESSAGES_PER_SECOND } from '../../src/mcp/http-transport.js';
import { readBundle } from '../support/files.js';
import { sample } from '../support/prometheus.js';
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
spec: { transport: http, url: ${JSON.stringify(url)}, timeoutMs: 120000 }
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

describe('MCP gateway: an upstream flooding a call with notifications', () => {
  let t: TestServer;
  let peer: Peer;
  let url: string;
  let key: string;

  beforeAll(async () => {
    peer = await startPeer([path.join(PEERS, 'flood-http.mjs')]);
    // Each scrape rendered afresh: the tests compare scrapes before and after.
    t = await startTestServer('sqlite', { ...operatorAllows(), metricsCacheMs: 0 });
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle(peer.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/flood-bot/keys' })).json().key;
    url = `${await t.server.listen({ host: '127.0.0.1', port: 0 })}/mcp`;
  });
  afterAll(async () => {
    await t?.close();
    await peer?.stop();
  });

  const call = async (tool: string, args: Record<string, unknown> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: tool, arguments: args } }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { result: { isError?: boolean; content: Array<{ text: string }> } };
  };
  const dropped = async () =>
    sample(
      (await t.request({ method: 'GET', url: '/metrics' })).body,
      'fulcrum_mcp_upstream_messages_dropped_total{kind="notification"}',
    ) ?? 0;

  it('drops what the stream carries past its rate, unread and counted, logs it once, and delivers the answer', async () => {
    const warn = vi.spyOn(t.server.log, 'warn');
    try {
      const FLOOD = 50_000;
      const before = await dropped();
      const started = performance.now();
      const r = await call('flood_flood', { count: FLOOD });
      const seconds = (performance.now() - started) / 1000;
      expect(r.result.content[0]?.text).toBe(`flooded ${FLOOD}`);
      // All but the burst and the rate's share were dropped (before, every one went through the SDK).
      const handedOn = FLOOD - ((await dropped()) - before);
      expect(handedOn).toBeGreaterThanOrEqual(STREAM_MESSAGES_BURST);
      expect(handedOn).toBeLessThanOrEqual(STREAM_MESSAGES_BURST + Math.ceil(seconds * STREAM_MESSAGES_PER_SECOND));
      const floods = warn.mock.calls.filter(([entry]) => (entry as { fault?: string }).fault === 'flood');
      expect(floods).toEqual([
        [
          {
            server: 'flood',
            fault: 'flood',
            detail: `past ${STREAM_MESSAGES_BURST} messages at once or ${STREAM_MESSAGES_PER_SECOND} a second, the rest of its notifications and requests on that stream are dropped unread (counted in fulcrum_mcp_upstream_messages_dropped_total)`,
          },
          `upstream MCP server "flood" sent more messages on one answer's stream than are read`,
        ],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it(`fails a call whose stream goes on past ${STREAM_DROPPED_MAX} dropped messages, saying why in the log`, async () => {
    const warn = vi.spyOn(t.server.log, 'warn');
    try {
      // Before, the call waited for the McpServer's timeout (120 s here), reading all the while.
      const r = await call('flood_flood');
      expect(r.result.isError).toBe(true);
      expect(r.result.content[0]?.text).toBe(
        'upstream MCP server "flood" failed to answer tools/call flood (the Fulcrum server log says why)',
      );
      const details = warn.mock.calls.map(([entry]) => String((entry as { detail?: unknown }).detail));
      expect(details.join('\n')).toContain(`the upstream sent more than ${STREAM_DROPPED_MAX} messages past the rate read`);
    } finally {
      warn.mockRestore();
    }
  });

  it("passes an honest tool's messages and answer, after a flood, dropping none", async () => {
    const before = await dropped();
    const r = await call('flood_steady');
    expect(r.result).toEqual({ content: [{ type: 'text', text: 'done' }], _meta: expect.anything() });
    expect(await dropped()).toBe(before);
  });
});
