// Requests an upstream sends the gateway unasked are answered a few at a time, not all at once. A
// 2025-11-25 upstream over HTTP answers one call with an SSE stream of 20,000 pings (the SDK's client
// answers each, a POST of its own) and never answers those POSTs: every answer was queued behind the
// 64 sockets of its agent (200,000 of them took 1.6 GB of Fulcrum's heap), so the next call to that
// upstream waited behind them until it timed out. Now at most MAX_ANSWERS_IN_FLIGHT answers are on
// their way at once and the rest of the pings are left unanswered (src/mcp/in-order.ts).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWERS_IN_FLIGHT } from '../../src/mcp/in-order.js';
import { post } from '../mcp/fixture.js';
import { operatorAllows } from '../mcp/peers.js';
import { readMini } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PINGS = 20_000;

/** The upstream: `flood` answers after PINGS pings in its SSE stream, `other` at once; answers to its pings are held. */
async function startPinger() {
  const held: http.ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    // An answer to one of its pings: never answered.
    if (msg.method === undefined) return void held.push(res);
    if (!('id' in msg)) return void res.writeHead(202).end();
    const ok = (result: unknown) => json({ jsonrpc: '2.0', id: msg.id, result });
    if (msg.method === 'initialize')
      return ok({
        protocolVersion: msg.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'pg', version: '1' },
      });
    if (msg.method === 'tools/call' && msg.params.name === 'flood') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      const pump = () => {
        while (i < PINGS) {
          i++;
          if (!res.write(`event: message\ndata: {"jsonrpc":"2.0","id":"ping-${i}","method":"ping"}\n\n`))
            return void res.once('drain', pump);
        }
        const answer = { jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: 'flooded' }] } };
        res.end(`event: message\ndata: ${JSON.stringify(answer)}\n\n`);
      };
      return pump();
    }
    if (msg.method === 'tools/call') return ok({ content: [{ type: 'text', text: 'other' }] });
    json({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    held,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const bundle = (url: string) => {
  const tool = (name: string) =>
    `apiVersion: fulcrum/v1\nkind: Tool\nmetadata: { name: pg.${name} }\nspec: { system: pg, effect: read, dataDomains: [], arguments: { type: object } }\n---\n`;
  const content =
    `apiVersion: fulcrum/v1\nkind: McpServer\nmetadata: { name: pg }\nspec: { transport: http, url: ${JSON.stringify(url)}, timeoutMs: 10000 }\n---\n` +
    tool('flood') +
    tool('other') +
    'apiVersion: fulcrum/v1\nkind: Agent\nmetadata: { name: pg-bot }\nspec:\n  initiative: support-deflection\n  owner: dana.lee\n  framework: openai-agents-sdk\n  extraTools: [pg.flood, pg.other]\n';
  return [...readMini(), { path: 'pg.yaml', content }];
};

describe('an upstream that floods the gateway with its own requests', () => {
  let t: TestServer;
  let up: Awaited<ReturnType<typeof startPinger>>;
  let url: string;
  let key: string;
  beforeAll(async () => {
    up = await startPinger();
    t = await startTestServer('sqlite', operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle(up.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/pg-bot/keys' })).json().key as string;
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await up?.close();
    await t?.close();
  });

  const call = async (name: string, id: number) => {
    const r = await post(url, key, { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });
    const result = (await r.json()).result as CallToolResult;
    return (result.content[0] as { text: string }).text;
  };

  it('answers a few of them at a time, and the upstream’s other calls go on', async () => {
    expect(await call('pg.flood', 1)).toBe('flooded');
    // Before, this call's POST waited behind 20,000 queued answers until it timed out.
    expect(await call('pg.other', 2)).toBe('other');
    // The first answers reached it (and are held there); the rest were not sent, nor queued.
    expect(up.held.length).toBeGreaterThan(0);
    expect(up.held.length).toBeLessThanOrEqual(MAX_ANSWERS_IN_FLIGHT);
  });
});
