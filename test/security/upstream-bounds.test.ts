// What an upstream sends is bounded in size and time (docs/mcp.md "What an upstream sends is
// bounded"), against a hand-written 2025-11-25 upstream on 127.0.0.1 that
//  - answers tools/list with a nextCursor on every page, forever (discovery followed it for ever);
//  - answers tools/call `flood` with many small progress notifications (SSE), then the result (a
//    2026-07-28 agent that did not read had every one of them held for it, 12 MB here).
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorAllows } from '../mcp/peers.js';
import { readBundle } from '../support/files.js';
import { startRpcUpstream } from '../support/rpc-upstream.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

interface Upstream {
  url: string;
  pages: number;
  close(): Promise<void>;
}

async function startUpstream(floodCount: number): Promise<Upstream> {
  const state = { pages: 0 };
  const up = await startRpcUpstream('rv', async (msg, { req, res, ok }) => {
    if (msg.method === 'tools/list') {
      state.pages++;
      if (req.url === '/slow/mcp') await new Promise((r) => setTimeout(r, 150));
      // Every page says there is another.
      ok({
        tools: [{ name: `t${state.pages}`, description: 'x'.repeat(10_000), inputSchema: { type: 'object' } }],
        nextCursor: `c${state.pages}`,
      });
      return true;
    }
    if (msg.method === 'tools/call' && msg.params.name === 'flood') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const token = msg.params._meta?.progressToken;
      let i = 0;
      const pump = () => {
        while (i < floodCount) {
          i++;
          const ev = `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: i } })}\n\n`;
          if (!res.write(ev)) return void res.once('drain', pump);
        }
        res.end(
          `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: 'flood done' }] } })}\n\n`,
        );
      };
      pump();
      return true;
    }
    if (msg.method === 'tools/call') {
      ok({ content: [{ type: 'text', text: 'ok' }] });
      return true;
    }
    return false;
  });
  return {
    url: up.url,
    get pages() {
      return state.pages;
    },
    close: up.close,
  };
}

function bundle(url: string) {
  const content = `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: rv }
spec: { transport: http, url: ${JSON.stringify(url)}, timeoutMs: 20000 }
---
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: rv.flood }
spec: { system: rv, effect: read, dataDomains: [], arguments: { type: object } }
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: rv-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [rv.flood]
`;
  return [...readBundle(MINI), { path: 'rv.yaml', content }];
}

describe('an upstream that never stops', () => {
  let t: TestServer;
  let up: Upstream;

  beforeAll(async () => {
    up = await startUpstream(0);
    t = await startTestServer('sqlite', operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle(up.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => {
    await up?.close();
    await t?.close();
  });

  it('GET /v1/mcp-servers/<name>/tools ends, bounded, against a 2025 upstream whose tools/list pages never end', async () => {
    const started = Date.now();
    const answer = t
      .request({ method: 'GET', url: '/v1/mcp-servers/rv/tools' })
      .then((r) => ({ status: r.statusCode, message: r.json().error.message as string }));
    const outcome = await Promise.race([
      answer,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000)),
    ]);
    const pages = up.pages;
    expect(outcome, `after ${Math.round((Date.now() - started) / 1000)} s and ${pages} tools/list pages`).toEqual({
      status: 503,
      message:
        'upstream MCP server "rv" listed its tools on more than 64 pages (each tools/list answer named a next page), the most Fulcrum reads',
    });
    expect(pages).toBe(64); // as the 2.x client's own listMaxPages
  }, 30_000);
});

describe('discovery against pages that never end, within fewer bytes or less time than 64 pages take', () => {
  let t: TestServer;
  let up: Upstream;
  const MAX = 100_000; // each page is 10 KB

  beforeAll(async () => {
    up = await startUpstream(0);
    process.env.FULCRUM_MCP_MAX_RESPONSE_BYTES = String(MAX);
    try {
      t = await startTestServer('sqlite', operatorAllows());
    } finally {
      delete process.env.FULCRUM_MCP_MAX_RESPONSE_BYTES;
    }
    const slow = up.url.replace(/\/mcp$/, '/slow/mcp');
    const content = `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: rv }
spec: { transport: http, url: ${JSON.stringify(up.url)} }
---
apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: rvslow }
spec: { transport: http, url: ${JSON.stringify(slow)}, timeoutMs: 1000 }
`;
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: [...readBundle(MINI), { path: 'rv.yaml', content }] },
    });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => {
    await up?.close();
    await t?.close();
  });
  const discover = async (name: string) => {
    const r = await t.request({ method: 'GET', url: `/v1/mcp-servers/${name}/tools` });
    return { status: r.statusCode, message: r.json().error?.message as string };
  };

  it('stops at FULCRUM_MCP_MAX_RESPONSE_BYTES of tools in all, not per page', async () => {
    const before = up.pages;
    expect(await discover('rv')).toEqual({
      status: 503,
      message: `upstream MCP server "rv" listed more than ${MAX} bytes of tools, the most Fulcrum reads (FULCRUM_MCP_MAX_RESPONSE_BYTES)`,
    });
    expect(up.pages - before).toBeLessThan(12);
  }, 30_000);

  it("stops at the McpServer's timeoutMs for the whole listing, not per page", async () => {
    const started = Date.now();
    expect(await discover('rvslow')).toEqual({
      status: 503,
      message: 'upstream MCP server "rvslow" did not answer tools/list within 1000 ms',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 30_000);
});

describe('a 2026-07-28 agent that does not read, and an upstream flooding progress', () => {
  let t: TestServer;
  let up: Upstream;
  let url: string;
  let key: string;
  const FLOOD = 100_000;

  beforeAll(async () => {
    up = await startUpstream(FLOOD);
    t = await startTestServer('sqlite', operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle(up.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/rv-bot/keys' })).json().key;
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await up?.close();
    await t?.close();
  });

  /** One tools/call asking for progress; the answer is not read until the upstream has sent everything. */
  async function slowReader(modern: boolean): Promise<number> {
    const V = '2026-07-28';
    const params: Record<string, unknown> = {
      name: 'rv_flood',
      arguments: {},
      _meta: modern
        ? { 'io.modelcontextprotocol/protocolVersion': V, 'io.modelcontextprotocol/clientCapabilities': {}, progressToken: 'p' }
        : { progressToken: 'p' },
    };
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${key}`,
      'mcp-protocol-version': modern ? V : '2025-11-25',
      ...(modern ? { 'mcp-method': 'tools/call', 'mcp-name': 'rv_flood' } : {}),
    };
    // Calls the gateway has finished forwarding (the upstream's whole answer taken and relayed or dropped).
    const forwarded = async () => {
      const text = (await t.request({ method: 'GET', url: '/metrics' })).body;
      return Number(/^fulcrum_mcp_calls_total\{outcome="forwarded"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const before = await forwarded();
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(new URL(`${url}/mcp`), { method: 'POST', headers }, resolve);
      req.on('error', reject);
      req.end(body);
    });
    res.pause();
    // Read only once the gateway has finished the call: the whole flood taken from the upstream (it
    // could not be while the node held it for this reader) and the answer written.
    // (100,000 notifications take the gateway seconds; on a loaded machine tens of seconds.)
    const deadline = Date.now() + 60_000;
    while ((await forwarded()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await forwarded(), 'the gateway finished the call').toBeGreaterThan(before);
    let received = 0;
    let text = '';
    for await (const c of res) {
      received += (c as Buffer).length;
      text = (text + (c as Buffer).toString('utf8')).slice(-2000);
    }
    expect(text).toContain('flood done');
    return received;
  }

  it('2025-11-25: progress an agent does not read is dropped (the documented behaviour)', async () => {
    const received = await slowReader(false);
    expect(received).toBeLessThan(8 * 1024 * 1024);
  }, 90_000);

  it('2026-07-28: progress an agent does not read is dropped too, not held in memory', async () => {
    const received = await slowReader(true);
    // 100,000 relayed notifications are ~12 MB: held by the node for a reader that does not read.
    expect(received).toBeLessThan(8 * 1024 * 1024);
  }, 90_000);
});
