// /mcp on the wire, both protocol generations: what a 2026-07-28 request must carry and what it is
// told when it does not, what a 2025-11-25 client still gets, and the tool names an apply may expose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { gatewayBundle } from './fixture.js';
import { operatorAllows, type Peer, startEverythingHttp } from './peers.js';

const MODERN = '2026-07-28';
const envelope = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };

describe('/mcp on the wire', () => {
  let t: TestServer;
  let upstream: Peer;
  let url: string;
  let key: string;

  beforeAll(async () => {
    upstream = await startEverythingHttp();
    t = await startTestServer('sqlite', operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: gatewayBundle(upstream.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/mcp-bot/keys' })).json().key;
    url = `${await t.server.listen({ host: '127.0.0.1', port: 0 })}/mcp`;
  });
  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
  });

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const modern = (method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    post(
      { jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: envelope } },
      { 'mcp-protocol-version': MODERN, 'mcp-method': method, ...headers },
    );

  it('answers server/discover with the versions it serves and its tools capability', async () => {
    const r = await modern('server/discover');
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({
      supportedVersions: [MODERN],
      capabilities: { tools: { listChanged: false } },
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'fulcrum' } },
    });
  });

  it('lists and calls tools in 2026-07-28, with the result shapes that version asks for', async () => {
    const list = await modern('tools/list');
    expect(list.body.result).toMatchObject({ resultType: 'complete', cacheScope: 'private', ttlMs: 0 });
    expect(list.body.result.tools.map((t: { name: string }) => t.name)).toContain('web_echo');
    const call = await modern('tools/call', { name: 'web_echo', arguments: { message: 'm' } }, { 'mcp-name': 'web_echo' });
    expect(call.body.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'Echo: m' }] });
    expect(call.body.result._meta['fulcrum/decisionId']).toMatch(/^dec_/);
  });

  it('refuses what 2026-07-28 forbids, each with its own error', async () => {
    // Mcp-Name must repeat the tool's name.
    const mismatch = await modern('tools/call', { name: 'web_echo', arguments: { message: 'm' } }, { 'mcp-name': 'ev_echo' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe(-32020);
    // A version nobody serves is told which ones are.
    const future = await post(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: { _meta: { ...envelope, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
      },
      { 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/list' },
    );
    expect(future.status).toBe(400);
    expect(future.body.error).toMatchObject({ code: -32022, data: { supported: expect.arrayContaining([MODERN]) } });
    // No initialize in 2026-07-28.
    const init = await modern('initialize', {
      protocolVersion: MODERN,
      capabilities: {},
      clientInfo: { name: 'x', version: '1' },
    });
    expect(init.status).toBeGreaterThanOrEqual(400);
    // An unknown tool is a protocol error, in band.
    const unknown = await modern('tools/call', { name: 'nope', arguments: {} }, { 'mcp-name': 'nope' });
    expect(unknown.body.error).toMatchObject({ code: -32602, message: 'unknown tool "nope"' });
  });

  it('tells a batch sent as 2026-07-28 that the version has no batches, not that the version is unknown', async () => {
    const call = { jsonrpc: '2.0', method: 'tools/list', params: { _meta: envelope } };
    const batch = await post(
      [
        { ...call, id: 1 },
        { ...call, id: 2 },
      ],
      { 'mcp-protocol-version': MODERN },
    );
    expect(batch.status).toBe(400);
    expect(batch.body.error).toMatchObject({ code: -32600 });
    expect(batch.body.error.message).toContain(`MCP ${MODERN} has no JSON-RPC batches`);
    expect(batch.body.error.message).not.toContain('Unsupported protocol version');
    // An unknown version is still told it is unknown.
    const unknown = await post([{ ...call, id: 1 }], { 'mcp-protocol-version': '2099-01-01' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('Unsupported protocol version: 2099-01-01');
  });

  it('still serves 2025-11-25 clients as before: initialize, then JSON answers', async () => {
    const init = await post(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } },
      },
      {},
    );
    expect(init.status).toBe(200);
    expect(init.body.result.protocolVersion).toBe('2025-11-25');
    const list = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-protocol-version': '2025-11-25' });
    expect(list.body.result.tools.length).toBeGreaterThan(0);
    expect(list.body.result.resultType).toBeUndefined();
  });

  it('refuses an apply that would expose two tools under one MCP name, or one over 64 characters, naming both', async () => {
    const tool = (name: string) => ({
      apiVersion: 'fulcrum/v1',
      kind: 'Tool',
      metadata: { name },
      spec: { system: 'everything', effect: 'read', dataDomains: [], arguments: { type: 'object' } },
    });
    expect((await t.request({ method: 'PUT', url: '/v1/tools/web.echo_x', payload: tool('web.echo_x') })).statusCode).toBe(201);
    const twin = await t.request({ method: 'PUT', url: '/v1/tools/web.echo.x', payload: tool('web.echo.x') });
    expect(twin.statusCode).toBe(422);
    expect(twin.body).toContain(
      'Tool \\"web.echo.x\\" and Tool \\"web.echo_x\\" would both be shown to agents as the MCP tool \\"web_echo_x\\"',
    );
    // Renaming either would name another upstream tool: the advice is to register one of them.
    expect(twin.body).toContain("register only one of them (after the toolPrefix, each is the upstream tool's own name)");
    // A Tool no McpServer serves, named like an MCP tool, is not one: it neither collides nor hides it.
    expect((await t.request({ method: 'PUT', url: '/v1/tools/web_echo', payload: tool('web_echo') })).statusCode).toBe(201);
    const call = await modern('tools/call', { name: 'web_echo', arguments: { message: 'still me' } }, { 'mcp-name': 'web_echo' });
    expect(call.body.result.content[0].text).toBe('Echo: still me');
    const long = `web.${'x'.repeat(61)}`;
    const tooLong = await t.request({ method: 'PUT', url: `/v1/tools/${long}`, payload: tool(long) });
    expect(tooLong.statusCode, tooLong.body).toBe(422);
    expect(tooLong.body).toContain('is 65 characters; models accept at most 64');
    expect(tooLong.body).toContain('give McpServer \\"evh\\" a shorter toolPrefix');
    // Not served by any McpServer: no MCP name to check.
    expect(
      (await t.request({ method: 'PUT', url: `/v1/tools/erp.${'x'.repeat(70)}`, payload: tool(`erp.${'x'.repeat(70)}`) }))
        .statusCode,
    ).toBe(201);
  });
});
