// An upstream's own outputSchema does not decide what agents are answered. Agents are governed by the
// registry Tool (docs/mcp.md), yet once `GET /v1/mcp-servers/<name>/tools` had listed an upstream's
// tools on the node's pooled connection, the SDK client checked every later tools/call result
// against the upstream's outputSchema: a call that ran was reported refused (an agent retries it: a
// second payment), and the schema's `pattern` ran in Ajv's backtracking RegExp on the event loop.
// Discovery now has a connection of its own, and the pooled clients never check output schemas.
import path from 'node:path';
import { Client as ModernClient } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_CLIENT_OPTIONS } from '../../src/mcp/upstream.js';
import { CLIENT_INFO, MODERN_CLIENT_OPTIONS } from '../../src/mcp/upstream-modern.js';
import { post } from '../mcp/fixture.js';
import { operatorAllows } from '../mcp/peers.js';
import { readBundle } from '../support/files.js';
import { startRpcUpstream } from '../support/rpc-upstream.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const REDOS_LENGTH = 26; // ~3.5 s of backtracking on a 2-core machine; each extra character doubles it

const TOOLS = [
  {
    name: 'pay',
    inputSchema: { type: 'object' as const },
    outputSchema: { type: 'object' as const, properties: { receipt: { type: 'string' } }, required: ['receipt'] },
  },
  {
    name: 'redos',
    inputSchema: { type: 'object' as const },
    outputSchema: { type: 'object' as const, properties: { s: { type: 'string', pattern: '^(a+)+$' } } },
  },
];
// Text only for pay: a 2025 server may leave structuredContent out.
const answer = (name: string, paid: number) =>
  name === 'pay'
    ? { content: [{ type: 'text', text: `paid, receipt ${paid}` }] }
    : { content: [{ type: 'text', text: 'x' }], structuredContent: { s: `${'a'.repeat(REDOS_LENGTH)}!` } };

async function startUpstream() {
  const state = { paid: 0, lists: 0 };
  const up = await startRpcUpstream('os', (msg, { ok }) => {
    if (msg.method === 'tools/list') {
      state.lists++;
      ok({ tools: TOOLS });
      return true;
    }
    if (msg.method === 'tools/call') {
      if (msg.params.name === 'pay') state.paid++;
      ok(answer(msg.params.name, state.paid));
      return true;
    }
    return false;
  });
  return { ...up, state };
}

function bundle(url: string) {
  const tool = (n: string) =>
    `apiVersion: fulcrum/v1\nkind: Tool\nmetadata: { name: os.${n} }\nspec: { system: os, effect: write, dataDomains: [], arguments: { type: object } }\n---\n`;
  const content = `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: os }
spec: { transport: http, url: ${JSON.stringify(url)}, timeoutMs: 20000 }
---
${tool('pay')}${tool('redos')}apiVersion: fulcrum/v1
kind: Agent
metadata: { name: os-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [os.pay, os.redos]
`;
  return [...readBundle(MINI), { path: 'os.yaml', content }];
}

/** The longest the event loop stood still while `fn` ran. */
async function worstStall(fn: () => Promise<unknown>): Promise<number> {
  let last = Date.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 10);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return worst;
}

describe("the upstream's own outputSchema, once a viewer listed its tools", () => {
  let t: TestServer;
  let up: Awaited<ReturnType<typeof startUpstream>>;
  let url: string;
  let key: string;
  const call = async (name: string) =>
    (
      (await (await post(url, key, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } })).json()) as {
        result: CallToolResult;
      }
    ).result;
  const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

  beforeAll(async () => {
    up = await startUpstream();
    t = await startTestServer('sqlite', operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle(up.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/os-bot/keys' })).json().key;
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await up?.close();
    await t?.close();
  });

  it("answers an agent's call the same before and after a viewer's discover; a call that ran is never reported refused", async () => {
    const before = await call('os_pay');
    expect({ isError: before.isError ?? false, text: text(before) }).toEqual({ isError: false, text: 'paid, receipt 1' });
    const listed = await t.request({ method: 'GET', url: '/v1/mcp-servers/os/tools' });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().tools.map((x: { upstreamName: string }) => x.upstreamName)).toEqual(['pay', 'redos']);
    const after = await call('os_pay');
    expect(up.state.paid).toBe(2); // the upstream ran it
    expect({ isError: after.isError ?? false, text: text(after) }).toEqual({ isError: false, text: 'paid, receipt 2' });
  }, 30_000);

  it("does not run an upstream's outputSchema pattern with backtracking on the node's event loop", async () => {
    const listed = await t.request({ method: 'GET', url: '/v1/mcp-servers/os/tools' });
    expect(listed.statusCode, listed.body).toBe(200);
    let result: CallToolResult | undefined;
    const worst = await worstStall(async () => {
      result = await call('os_redos');
    });
    // The node could not answer anything else (any agent, any request) for this long.
    expect(worst, `event loop blocked for ${worst} ms by one upstream answer`).toBeLessThan(1000);
    expect(result?.structuredContent).toEqual(answer('redos', 0).structuredContent); // passed on as it came
  }, 60_000);
});

describe("the pooled clients' options: no output-schema check, whatever they listed", () => {
  /** An SDK server offering TOOLS, linked in memory to `client`, which lists them and calls each. */
  async function listThenCall(client: {
    connect(t: never): Promise<void>;
    listTools(): Promise<unknown>;
    callTool(p: never): Promise<unknown>;
  }) {
    const server = new Server({ name: 'os', version: '1' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
    server.setRequestHandler(CallToolRequestSchema, async (r) => answer(r.params.name, 1) as never);
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    await client.connect(a as never);
    try {
      await client.listTools();
      const pay = await client.callTool({ name: 'pay', arguments: {} } as never).catch((e: Error) => e.message);
      let redos: unknown;
      const stall = await worstStall(async () => {
        redos = await client.callTool({ name: 'redos', arguments: {} } as never).catch((e: Error) => e.message);
      });
      return { pay, redos, stall };
    } finally {
      await server.close();
    }
  }

  it('the SDK 1.x client with LEGACY_CLIENT_OPTIONS passes results on as they came', async () => {
    // Without them, the SDK refuses a call that ran (the check these options turn off is still there).
    const plain = await listThenCall(new Client(CLIENT_INFO, { capabilities: {} }) as never);
    expect(plain.pay).toMatch(/has an output schema but did not return structured content/);
    const ours = await listThenCall(new Client(CLIENT_INFO, LEGACY_CLIENT_OPTIONS) as never);
    expect(ours.pay).toEqual(answer('pay', 1));
    expect(ours.redos).toEqual(answer('redos', 1));
    expect(ours.stall).toBeLessThan(1000);
  }, 60_000);

  it('the SDK 2.x client with MODERN_CLIENT_OPTIONS passes results on as they came', async () => {
    const plain = await listThenCall(new ModernClient(CLIENT_INFO, { capabilities: {} }) as never);
    expect(plain.pay).toMatch(/has an output schema but did not return structured content/);
    const ours = await listThenCall(new ModernClient(CLIENT_INFO, MODERN_CLIENT_OPTIONS) as never);
    expect(ours.pay).toMatchObject(answer('pay', 1));
    expect(ours.redos).toMatchObject(answer('redos', 1));
    expect(ours.stall).toBeLessThan(1000);
  }, 60_000);
});
