// The two ways a 2026-07-28 request is answered (src/mcp/modern.ts): plain tools/call and tools/list
// without the SDK's per-request server, everything else by the SDK 2.x handler. Each request below
// is sent to an endpoint that takes the plain way where it can and to one that never does, with the
// same gateway behind both: the answers (status, type, body) and what the gateway was asked must be
// the same, and each request must have gone the way the table says.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpGateway } from '../../src/mcp/gateway.js';
import { type ModernEndpoint, modernEndpoint } from '../../src/mcp/modern.js';

const V = '2026-07-28';
const envelope = { 'io.modelcontextprotocol/protocolVersion': V, 'io.modelcontextprotocol/clientCapabilities': {} };

/** A gateway whose answers depend only on the tool's name, recording what it was asked. */
function scriptedGateway(asked: unknown[]): McpGateway {
  const fail = (message: string, code?: number) => Object.assign(new Error(message), code === undefined ? {} : { code });
  return {
    async listTools(agent: string) {
      asked.push(['list', agent]);
      return [
        {
          name: 'crm_get_order',
          description: 'Reads an order',
          inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
          annotations: { readOnlyHint: true, destructiveHint: false },
        },
      ];
    },
    async callTool(
      caller: { id: string; keyId: string },
      name: string,
      args: Record<string, unknown>,
      approvalId?: string,
      onProgress?: unknown,
      traceparent?: string,
    ) {
      asked.push(['call', caller, name, args, approvalId ?? null, traceparent ?? null, typeof onProgress]);
      if (name === 'unknown') throw fail('unknown tool "unknown"', -32602);
      if (name === 'broken') throw fail('the database is gone');
      if (name === 'missing') throw fail('no such resource', -32002);
      if (name === 'refused')
        return {
          isError: true,
          content: [{ type: 'text', text: 'Fulcrum refused it' }],
          _meta: { 'fulcrum/decisionId': 'dec_1' },
        };
      return {
        content: [{ type: 'text', text: `called ${name} with ${JSON.stringify(args)}` }],
        structuredContent: { ok: true },
        _meta: { 'fulcrum/decisionId': 'dec_2' },
      };
    },
  } as unknown as McpGateway;
}

interface Side {
  app: FastifyInstance;
  endpoint: ModernEndpoint;
  asked: unknown[];
}

async function side(plain: boolean): Promise<Side> {
  const asked: unknown[] = [];
  const endpoint = await modernEndpoint(scriptedGateway(asked), { version: '9.9.9' }, { plain });
  const app = Fastify();
  app.post('/mcp', (request, reply) => endpoint.serve(request, reply, { id: 'agent-a', keyId: 'key_a' }));
  await app.ready();
  return { app, endpoint, asked };
}

type Case = {
  name: string;
  way: 'plain' | 'sdk';
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Headers not sent at all. */
  omit?: string[];
};

const call = (name: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name, arguments: { id: 'A-1' }, ...extra, _meta: { ...envelope, ...meta } },
});
const callHeaders = (name: string) => ({ 'mcp-method': 'tools/call', 'mcp-name': name });

const CASES: Case[] = [
  { name: 'tools/list', way: 'plain', body: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope } } },
  {
    name: 'tools/list with a cursor and a string id',
    way: 'plain',
    body: { jsonrpc: '2.0', id: 'l-1', method: 'tools/list', params: { cursor: 'c', _meta: envelope } },
  },
  { name: 'tools/call', way: 'plain', body: call('crm_get_order'), headers: callHeaders('crm_get_order') },
  {
    name: 'tools/call with clientInfo, a log level, an approval id and trace context',
    way: 'plain',
    body: call(
      'crm_get_order',
      {},
      {
        'io.modelcontextprotocol/clientInfo': { name: 'agent', version: '1' },
        'io.modelcontextprotocol/logLevel': 'info',
        'fulcrum/approvalId': 'apr_1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    ),
    headers: callHeaders('crm_get_order'),
  },
  {
    name: 'tools/call without arguments',
    way: 'plain',
    body: { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'crm_get_order', _meta: envelope } },
    headers: callHeaders('crm_get_order'),
  },
  { name: 'a refused call (a tool error)', way: 'plain', body: call('refused'), headers: callHeaders('refused') },
  { name: 'an unknown tool (a protocol error)', way: 'plain', body: call('unknown'), headers: callHeaders('unknown') },
  { name: 'a gateway failure (an internal error)', way: 'plain', body: call('broken'), headers: callHeaders('broken') },
  { name: 'a -32002 (read as -32602)', way: 'plain', body: call('missing'), headers: callHeaders('missing') },
  // The SDK answers these: refusals, streams, encoded headers, rarer methods.
  { name: 'Mcp-Name naming another tool', way: 'sdk', body: call('crm_get_order'), headers: callHeaders('other') },
  {
    name: 'no Mcp-Name',
    way: 'sdk',
    body: call('crm_get_order'),
    headers: { 'mcp-method': 'tools/call' },
  },
  {
    name: 'Mcp-Name in its encoded form',
    way: 'sdk',
    body: call('crm_get_order'),
    headers: { 'mcp-method': 'tools/call', 'mcp-name': `=?base64?${Buffer.from('crm_get_order').toString('base64')}?=` },
  },
  {
    // The SDK reads it decoded ("a"), so refuses it: the plain path took it as the name it spells.
    name: 'a tool named like the encoded form, its Mcp-Name as the body spells it',
    way: 'sdk',
    body: call('=?base64?YQ==?='),
    headers: callHeaders('=?base64?YQ==?='),
  },
  {
    name: 'no Mcp-Method',
    way: 'sdk',
    body: call('crm_get_order'),
    headers: { 'mcp-name': 'crm_get_order' },
    omit: ['mcp-method'],
  },
  {
    name: 'no MCP-Protocol-Version',
    way: 'sdk',
    body: call('crm_get_order'),
    headers: callHeaders('crm_get_order'),
    omit: ['mcp-protocol-version'],
  },
  {
    name: 'MCP-Protocol-Version naming another version',
    way: 'sdk',
    body: call('crm_get_order'),
    headers: { ...callHeaders('crm_get_order'), 'mcp-protocol-version': '2025-11-25' },
  },
  {
    name: 'an envelope whose capabilities are not an object',
    way: 'sdk',
    body: call('crm_get_order', {}, { 'io.modelcontextprotocol/clientCapabilities': 'all' }),
    headers: callHeaders('crm_get_order'),
  },
  {
    name: 'arguments that are not an object',
    way: 'sdk',
    body: call('crm_get_order', { arguments: ['A-1'] }),
    headers: callHeaders('crm_get_order'),
  },
  {
    name: 'a non-string approval id',
    way: 'sdk',
    body: call('crm_get_order', {}, { 'fulcrum/approvalId': 42 }),
    headers: callHeaders('crm_get_order'),
  },
  {
    name: 'an id that is not an integer',
    way: 'sdk',
    body: { ...call('crm_get_order'), id: 1.5 },
    headers: callHeaders('crm_get_order'),
  },
  {
    name: 'a progress token (answered as a stream)',
    way: 'sdk',
    body: call('crm_get_order', {}, { progressToken: 'p' }),
    headers: callHeaders('crm_get_order'),
  },
  {
    name: 'server/discover',
    way: 'sdk',
    body: { jsonrpc: '2.0', id: 3, method: 'server/discover', params: { _meta: envelope } },
    headers: { 'mcp-method': 'server/discover' },
  },
];

describe('2026-07-28 requests answered without the SDK server, and by it', () => {
  let plain: Side;
  let sdk: Side;
  beforeAll(async () => {
    [plain, sdk] = await Promise.all([side(true), side(false)]);
  });
  afterAll(async () => {
    for (const s of [plain, sdk]) {
      await s?.app.close();
      await s?.endpoint.close();
    }
  });

  const send = async (s: Side, c: Case) => {
    const before = { ...s.endpoint.served };
    const asked = s.asked.length;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': V,
      'mcp-method': String(c.body.method),
      ...c.headers,
    };
    for (const h of c.omit ?? []) delete headers[h];
    const res = await s.app.inject({ method: 'POST', url: '/mcp', headers, payload: JSON.stringify(c.body) });
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    return {
      status: res.statusCode,
      type,
      body: type === 'application/json' ? res.json() : res.body,
      way: s.endpoint.served.plain > before.plain ? 'plain' : 'sdk',
      asked: s.asked.slice(asked),
    };
  };

  it.each(CASES)('$name: the same answer both ways, served the $way way', async (c) => {
    const a = await send(plain, c);
    const b = await send(sdk, c);
    expect(b.way).toBe('sdk');
    expect(a.way).toBe(c.way);
    expect({ status: a.status, type: a.type, body: a.body }).toEqual({ status: b.status, type: b.type, body: b.body });
    // The gateway was asked the same thing (progress aside: only the stream has a listener).
    expect(a.asked).toEqual(b.asked);
    if (c.way === 'plain') expect(a.asked.length).toBe(1);
    // Either way, a call names the agent with the key it came with (the guard refuses a revoked one).
    for (const x of a.asked as unknown[][]) if (x[0] === 'call') expect(x[1]).toEqual({ id: 'agent-a', keyId: 'key_a' });
  });

  it('shapes results for 2026-07-28 the plain way too', async () => {
    const list = await send(plain, CASES[0] as Case);
    expect(list.body.result).toMatchObject({
      resultType: 'complete',
      ttlMs: 0,
      cacheScope: 'private',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'fulcrum', version: '9.9.9' } },
    });
    const called = await send(plain, CASES[2] as Case);
    expect(called.body).toMatchObject({
      jsonrpc: '2.0',
      id: 7,
      result: {
        resultType: 'complete',
        _meta: { 'fulcrum/decisionId': 'dec_2', 'io.modelcontextprotocol/serverInfo': { name: 'fulcrum' } },
      },
    });
  });
});
