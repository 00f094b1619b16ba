// Requests an upstream sends the gateway unasked are answered a few at a time, not all at once. A
// 2025-11-25 upstream over HTTP answers one call with an SSE stream of 20,000 pings (the SDK's client
// answers each, a POST of its own) and never answers those POSTs: every answer was queued behind the
// 64 sockets of its agent (200,000 of them took 1.6 GB of Fulcrum's heap), so the next call to that
// upstream waited behind them until it timed out. Now at most MAX_ANSWERS_IN_FLIGHT answers are on
// their way at once and the rest of the pings are left unanswered (src/mcp/in-order.ts).
import type http from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWERS_IN_FLIGHT } from '../../src/mcp/in-order.js';
import { post } from '../mcp/fixture.js';
import { operatorAllows } from '../mcp/peers.js';
import { readMini } from '../support/files.js';
import { startRpcUpstream } from '../support/rpc-upstream.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PINGS = 20_000;

/** The upstream: `flood` answers after PINGS pings in its SSE stream, `other` at once; answers to its pings are held. */
async function startPinger() {
  const held: http.ServerResponse[] = [];
  const upstream = await startRpcUpstream(
    'pg',
    (msg, { res, ok }) => {
      if (msg.method !== 'tools/call') return false;
      if (msg.params.name !== 'flood') {
        ok({ content: [{ type: 'text', text: 'other' }] });
        return true;
      }
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
      pump();
      return true;
    },
    // An answer to one of its pings: never answered.
    (msg, res) => {
      if (msg.method !== undefined) return false;
      held.push(res);
      return true;
    },
  );
  return { ...upstream, held };
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
