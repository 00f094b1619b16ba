// Upstreams of either protocol generation behind the gateway: a 2026-07-28-only server
// (@modelcontextprotocol/server 2.x, `legacy: 'reject'`), one serving both (`legacy: 'stateless'`)
// and server-everything (2025-11-25), listed and called through /mcp by an SDK client as an agent.
// The modern path keeps what the legacy one guarantees: results in the same shape, progress relayed,
// the per-call timeout, the outbound policy, the answer bound and the faults callers are told; an
// upstream asking for input (input_required) gets a clear tool error at once, never a wait or a loop.
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerValue, UpstreamHttpTransport } from '../../src/mcp/http-transport.js';
import { CLIENT_INFO, MODERN_CLIENT_OPTIONS, MODERN_PIN, resultCheck } from '../../src/mcp/upstream-modern.js';
import { createOutboundPolicy } from '../../src/net/outbound.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { operatorAllows, PEERS, type Peer, requestsSeen, startEverythingHttp, startModernUpstream } from './peers.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
// Read by the app at start: small enough that the scripted upstream's tools/list passes it.
const MAX_RESPONSE_BYTES = 64 * 1024;
process.env.FULCRUM_MCP_MAX_RESPONSE_BYTES = String(MAX_RESPONSE_BYTES);

const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;
const NOT_REACHED = 'is unreachable or is not an MCP server (the Fulcrum server log says why)';
// The same 2026-07-28-only server over stdio (serveStdio with `legacy: 'reject'`).
const MODERN_STDIO = [process.execPath, path.join(PEERS, 'modern-upstream.mjs'), 'stdio'];

/**
 * A 2026-07-28 upstream written by hand, for what an SDK server does not do on demand: a tools/list
 * answer past the bound, and a header check's HTTP 400 (-32020) to one call.
 */
async function startScriptedModern() {
  const seen: Array<{ method: string; headers: http.IncomingHttpHeaders }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const m = JSON.parse(body) as { id: number | string; method: string; params?: { name?: string } };
      seen.push({ method: m.method, headers: req.headers });
      const json = (status: number, payload: object) =>
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: m.id, ...payload }));
      const meta = { 'io.modelcontextprotocol/serverInfo': { name: 'scripted', version: '1' } };
      if (m.method === 'server/discover')
        return json(200, {
          result: { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, resultType: 'complete', _meta: meta },
        });
      if (m.method === 'tools/list')
        return json(200, {
          result: { tools: [], resultType: 'complete', ttlMs: 0, cacheScope: 'private', pad: 'a'.repeat(1024 * 1024) },
        });
      if (m.method === 'tools/call' && m.params?.name === 'refused')
        return json(400, { error: { code: -32020, message: 'Mcp-Name header does not match the body' } });
      if (m.method === 'tools/call')
        return json(200, { result: { content: [{ type: 'text', text: 'scripted' }], resultType: 'complete', _meta: meta } });
      json(404, { error: { code: -32601, message: 'Method not found' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function bundle(urls: Record<'mod' | 'dual' | 'leg' | 'scripted', string>) {
  const server = (name: string, url: string, more = '') => `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: ${name} }
spec: { transport: http, url: ${JSON.stringify(url)}${more} }
---
`;
  const tool = (name: string, args = '{ type: object }') => `apiVersion: fulcrum/v1
kind: Tool
metadata: { name: ${name} }
spec: { system: eras, effect: read, dataDomains: [], arguments: ${args} }
---
`;
  const tools = [
    'mod.echo',
    'mod.progress',
    'mod.fail',
    'mod.later',
    'mod.approve',
    'mod.routed',
    'dual.echo',
    'leg.echo',
    'mst.echo',
    'mst.progress',
  ];
  const [command, ...args] = MODERN_STDIO;
  const stdio = `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: mst }
spec: { transport: stdio, command: ${JSON.stringify(command)}, args: ${JSON.stringify(args)} }
---
`;
  const content = `${stdio}${server('mod', urls.mod, ', timeoutMs: 1500')}${server('dual', urls.dual)}${server('leg', urls.leg)}${server('scripted', urls.scripted)}
${tools.map((t) => tool(t)).join('')}${tool('scripted.echo')}${tool('scripted.refused')}
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: era-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [${[...tools, 'scripted.echo', 'scripted.refused'].join(', ')}]
`;
  return [...readBundle(MINI), { path: 'eras.yaml', content }];
}

describe('MCP gateway: upstreams of either protocol generation', () => {
  let modern: Peer;
  let dual: Peer;
  let everything: Peer;
  let scripted: Awaited<ReturnType<typeof startScriptedModern>>;

  beforeAll(async () => {
    [modern, dual, everything, scripted] = await Promise.all([
      startModernUpstream('reject'),
      startModernUpstream('stateless'),
      startEverythingHttp(),
      startScriptedModern(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([modern?.stop(), dual?.stop(), everything?.stop(), scripted?.close()]);
  });

  it('sends Mcp-Name as the body has it, base64 when it is not a plain header value', async () => {
    expect(headerValue('echo')).toBe('echo');
    expect(headerValue('a b')).toBe('a b');
    for (const odd of ['nöpe', ' lead', 'line\nbreak', '', '=?base64?eA==?='])
      expect(headerValue(odd), odd).toBe(`=?base64?${Buffer.from(odd).toString('base64')}?=`);
    // A 2026 server checks Mcp-Name against the body (a mismatch is HTTP 400, -32020): it accepts
    // the encoded name, and answers for the tool it does not have in-band.
    const transport = new UpstreamHttpTransport(new URL(modern.url), JSONRPCMessageSchema, {
      outbound: createOutboundPolicy({ allowHosts: [{ host: '127.0.0.1' }] }),
    });
    const answers: unknown[] = [];
    transport.onmessage = (m) => answers.push(m);
    const _meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    await transport.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'nöpe', arguments: {}, _meta } });
    await transport.close();
    expect(answers).toEqual([
      expect.objectContaining({ id: 7, error: expect.objectContaining({ code: -32602, message: 'Tool nöpe not found' }) }),
    ]);
    expect((await requestsSeen(modern)).at(-1)).toMatchObject({ mcpName: headerValue('nöpe'), mcpMethod: 'tools/call' });
  });

  it("checks a modern tools/call result as the SDK's request() does, with its codec, built once per client", async () => {
    // The gateway's calls rely on this (upstream-modern.ts callToolModern): an SDK without the codec
    // accessor would send every call through callTool, correct but slower.
    const sdk = await import('@modelcontextprotocol/client');
    const client = new sdk.Client(CLIENT_INFO, { ...MODERN_CLIENT_OPTIONS, versionNegotiation: MODERN_PIN });
    await client.connect(new sdk.StreamableHTTPClientTransport(new URL(modern.url)));
    try {
      const check = resultCheck(client);
      expect(check).toBeDefined();
      expect(resultCheck(client)).toBe(check);
      const ok = { content: [{ type: 'text', text: 'fine' }] };
      expect(check?.['~standard'].validate(ok)).toEqual({ value: expect.objectContaining(ok) });
      const refused = check?.['~standard'].validate({ content: 'not a list' });
      expect(refused).toEqual({ issues: [{ message: expect.stringContaining('content') }] });
    } finally {
      await client.close();
    }
  });

  describe.each(ENGINES)('through /mcp (%s)', (engine) => {
    let t: TestServer;
    let agent: Client;
    const logged: string[] = [];
    // A name that resolves to the modern upstream's address, which the operator did not allow by that name.
    const lookup: LookupFunction = (hostname, options, callback) => {
      if (hostname !== 'modern.fulcrum.invalid') return callback(new Error(`ENOTFOUND ${hostname}`), '', 4);
      if (options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
      callback(null, '127.0.0.1', 4);
    };

    beforeAll(async () => {
      t = await startTestServer(engine, { ...operatorAllows(MODERN_STDIO), outboundLookup: lookup });
      t.app.mcp.logUpstreamsTo((entry, message) => logged.push(`${message}: ${entry.detail}`));
      const files = bundle({ mod: modern.url, dual: dual.url, leg: everything.url, scripted: scripted.url });
      const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
      expect(applied.statusCode, applied.body).toBe(200);
      const key = (await t.request({ method: 'POST', url: '/v1/agents/era-bot/keys' })).json().key;
      const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
      agent = new Client({ name: 'era-agent', version: '1' });
      await agent.connect(
        new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${key}` } },
        }),
      );
    });
    afterAll(async () => {
      await agent?.close();
      await t?.close();
    });

    const upstreamTools = async (server: string) => {
      const res = await t.request({ method: 'GET', url: `/v1/mcp-servers/${server}/tools?all=true` });
      return res;
    };

    it('lists the tools of a 2026-07-28-only upstream, a dual one and a 2025-11-25 one, in one shape', async () => {
      const before = (await requestsSeen(modern)).length;
      const lists: Record<string, string[]> = {};
      for (const server of ['mod', 'dual', 'leg']) {
        const res = await upstreamTools(server);
        expect(res.statusCode, `${server}: ${res.body}`).toBe(200);
        lists[server] = res.json().tools.map((x: { upstreamName: string }) => x.upstreamName);
      }
      expect(lists.mod).toEqual(['echo', 'progress', 'fail', 'routed', 'later', 'approve']);
      expect(lists.dual).toEqual(lists.mod);
      expect(lists.leg).toContain('echo');
      // The modern-only upstream was asked which generation it speaks once, then spoken to in it:
      // no initialize, the protocol headers on every request, derived from the body.
      const seen = (await requestsSeen(modern)).slice(before);
      expect(seen.map((r) => r.method)).toEqual(['server/discover', 'tools/list']);
      for (const r of seen) expect(r).toMatchObject({ version: '2026-07-28', mcpMethod: r.method });
      // The dual upstream offers 2026-07-28 too, so the gateway speaks that to it.
      expect((await requestsSeen(dual)).map((r) => r.method)).not.toContain('initialize');
    });

    it('mirrors arguments into the Mcp-Param headers a modern upstream declares, from its first refusal on', async () => {
      const before = (await requestsSeen(modern)).length;
      for (const region of ['eu', 'us'])
        expect(text(await agent.callTool({ name: 'mod_routed', arguments: { region } }))).toBe(`Routed to ${region}`);
      const seen = (await requestsSeen(modern))
        .slice(before)
        .filter((r) => r.method !== 'server/discover') // the gateway's connection opening, if this is its first call
        .map((r) => (r.region ? `${r.method} ${r.region}` : r.method));
      // The gateway's call carries no Mcp-Param header (its connection listed nothing); refused, it
      // goes through the SDK's callTool, which is refused once more, lists the tools, learns the
      // declaration and sends it. The next call mirrors it at once.
      expect(seen).toEqual(['tools/call', 'tools/call', 'tools/list', 'tools/call eu', 'tools/call us']);
    });

    it('calls each of them and returns a 2025-shaped result (no resultType, cache hints or server identity)', async () => {
      const names = (await agent.listTools()).tools.map((x) => x.name);
      expect(names).toEqual(expect.arrayContaining(['mod_echo', 'dual_echo', 'leg_echo']));
      for (const [tool, server] of [
        ['mod_echo', 'mod'],
        ['dual_echo', 'dual'],
        ['leg_echo', 'leg'],
      ] as const) {
        const r = await agent.callTool({ name: tool, arguments: { message: `hi ${server}` } });
        expect(r.isError, `${tool}: ${text(r)}`).toBeFalsy();
        expect(text(r)).toBe(`Echo: hi ${server}`);
        expect(Object.keys(r).sort(), tool).toEqual(['_meta', 'content']);
        expect(Object.keys(r._meta as object), tool).toEqual(['fulcrum/decisionId']);
      }
      // The call carried the 2026 headers, Mcp-Name from the body.
      const calls = (await requestsSeen(modern)).filter((r) => r.method === 'tools/call');
      expect(calls.at(-1)).toMatchObject({ version: '2026-07-28', mcpMethod: 'tools/call', mcpName: 'echo' });
      // Dotted names keep working.
      expect(text(await agent.callTool({ name: 'mod.echo', arguments: { message: 'dotted' } }))).toBe('Echo: dotted');
    });

    it('speaks 2026-07-28 to a stdio server that refuses 2025-11-25 (a second process, asked in place)', async () => {
      const r = await agent.callTool({ name: 'mst_echo', arguments: { message: 'hi stdio' } });
      expect(r.isError, text(r)).toBeFalsy();
      expect(text(r)).toBe('Echo: hi stdio');
      expect(Object.keys(r._meta as object)).toEqual(['fulcrum/decisionId']);
      const seen: number[] = [];
      const p = await agent.callTool({ name: 'mst_progress', arguments: { steps: 2 } }, undefined, {
        onprogress: (x) => seen.push(x.progress),
      });
      expect(text(p)).toBe('done after 2 steps');
      expect(seen).toEqual([1, 2]);
      const listed = await upstreamTools('mst');
      expect(listed.json().tools.map((x: { upstreamName: string }) => x.upstreamName)).toContain('later');
    });

    it("passes a modern upstream's tool error on as it came, and relays its progress in order", async () => {
      const failed = await agent.callTool({ name: 'mod_fail', arguments: {} });
      expect(failed.isError).toBe(true);
      expect(text(failed)).toBe('the fail tool failed, as it always does');

      const seen: Array<{ progress: number; total?: number; message?: string }> = [];
      const r = await agent.callTool({ name: 'mod_progress', arguments: { steps: 3 } }, undefined, {
        onprogress: (p) => seen.push(p),
      });
      expect(text(r)).toBe('done after 3 steps');
      expect(seen).toEqual([
        { progress: 1, total: 3, message: 'step 1' },
        { progress: 2, total: 3, message: 'step 2' },
        { progress: 3, total: 3, message: 'step 3' },
      ]);
    });

    it('turns input_required into a tool error at once: no wait, no retry loop', async () => {
      const before = (await requestsSeen(modern)).length;
      const started = Date.now();
      // "Come back later" (a requestState only) and a request for the user's approval (elicitation).
      const later = await agent.callTool({ name: 'mod_later', arguments: {} });
      const approve = await agent.callTool({ name: 'mod_approve', arguments: { what: 'x' } });
      expect(Date.now() - started).toBeLessThan(1000); // the SDK's own driver would poll ten times, 250 ms apart
      for (const [r, tool] of [
        [later, 'later'],
        [approve, 'approve'],
      ] as const) {
        expect(r.isError, tool).toBe(true);
        expect(text(r)).toBe(
          `upstream MCP server "mod" asked for input to answer tools/call ${tool} (MCP input_required), which Fulcrum does not relay to agents`,
        );
      }
      const calls = (await requestsSeen(modern)).slice(before).map((x) => x.mcpName);
      expect(calls).toEqual(['later', 'approve']);
      // The connection is fine afterwards.
      expect(text(await agent.callTool({ name: 'mod_echo', arguments: { message: 'after' } }))).toBe('Echo: after');
    });

    it("bounds a modern call by its McpServer's timeoutMs, cancelling only that call", async () => {
      const started = Date.now();
      const slow = agent.callTool({ name: 'mod_progress', arguments: { steps: 500 } });
      const meanwhile = await agent.callTool({ name: 'mod_echo', arguments: { message: 'meanwhile' } });
      expect(text(meanwhile)).toBe('Echo: meanwhile');
      const r = await slow;
      expect(r.isError).toBe(true);
      expect(text(r)).toBe('upstream MCP server "mod" did not answer tools/call progress within 1500 ms');
      expect(Date.now() - started).toBeLessThan(4000);
      expect(text(await agent.callTool({ name: 'mod_echo', arguments: { message: 'still' } }))).toBe('Echo: still');
    });

    it("passes on a modern upstream's HTTP 400 JSON-RPC refusal (-32020) as its error, keeping the connection", async () => {
      const refused = await agent.callTool({ name: 'scripted_refused', arguments: {} });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toBe(
        'upstream MCP server "scripted" refused tools/call refused: Mcp-Name header does not match the body',
      );
      const ok = await agent.callTool({ name: 'scripted_echo', arguments: {} });
      expect(text(ok)).toBe('scripted');
      expect(Object.keys(ok._meta as object)).toEqual(['fulcrum/decisionId']);
      const discovers = scripted.seen.filter((s) => s.method === 'server/discover');
      expect(discovers.length).toBeGreaterThan(0);
      expect(scripted.seen.map((s) => s.method)).not.toContain('initialize');
    });

    it('bounds what a modern upstream sends (FULCRUM_MCP_MAX_RESPONSE_BYTES) with the usual message', async () => {
      const res = await upstreamTools('scripted');
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toBe(
        'upstream MCP server "scripted" failed to answer tools/list (the Fulcrum server log says why)',
      );
      expect(logged.join('\n')).toContain(`an answer longer than ${MAX_RESPONSE_BYTES}`);
      expect(scripted.seen.at(-1)).toMatchObject({ method: 'tools/list', headers: { 'mcp-method': 'tools/list' } });
    });

    it('refuses a modern upstream on an address the operator did not allow, before asking it anything', async () => {
      const before = (await requestsSeen(modern)).length;
      const url = modern.url.replace('127.0.0.1', 'modern.fulcrum.invalid');
      const put = await t.request({
        method: 'PUT',
        url: '/v1/mcp-servers/sneaky',
        payload: { apiVersion: 'fulcrum/v1', kind: 'McpServer', metadata: { name: 'sneaky' }, spec: { transport: 'http', url } },
      });
      expect(put.statusCode, put.body).toBe(201);
      const res = await upstreamTools('sneaky');
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toBe(`upstream MCP server "sneaky" ${NOT_REACHED}`);
      expect(logged.join('\n')).toMatch(/modern\.fulcrum\.invalid \(127\.0\.0\.1\) is a loopback address/);
      expect((await requestsSeen(modern)).length).toBe(before);
    });
  });
});
