// Upstream faults through the gateway: down, slow, hung and garbage-speaking MCP servers each give
// the agent a clear tool error within a bounded time, and none of them holds up other calls.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closedPort, EVERYTHING, operatorAllows, PEERS, type Peer, startPeer } from './peers.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
// Read by the app at start: a hung upstream's handshake fails after this, not the 10 s default.
process.env.FULCRUM_MCP_CONNECT_TIMEOUT_MS = '3000';

const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;

function bundle(urls: { garbage: string; hung: string; down: string }) {
  const server = (name: string, spec: string) => `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: ${name} }
spec: ${spec}
---
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: ${name}.echo }
spec: { system: ${name}, effect: read, dataDomains: [], arguments: { type: object } }
---
`;
  const node = JSON.stringify(process.execPath);
  const content = `${server('slow', `{ transport: stdio, command: ${node}, args: [${JSON.stringify(EVERYTHING)}, stdio], timeoutMs: 700 }`)}
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: slow.trigger-long-running-operation }
spec: { system: slow, effect: read, dataDomains: [], arguments: { type: object } }
---
${server('down-http', `{ transport: http, url: ${JSON.stringify(urls.down)} }`)}
${server('down-stdio', '{ transport: stdio, command: /nonexistent/mcp-server }')}
${server('garbage-stdio', `{ transport: stdio, command: ${node}, args: [${JSON.stringify(path.join(PEERS, 'garbage-stdio.mjs'))}] }`)}
${server('garbage-http', `{ transport: http, url: ${JSON.stringify(urls.garbage)} }`)}
${server('hung-http', `{ transport: http, url: ${JSON.stringify(urls.hung)}, timeoutMs: 700 }`)}
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: fault-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [slow.echo, slow.trigger-long-running-operation, down-http.echo, down-stdio.echo, garbage-stdio.echo, garbage-http.echo, hung-http.echo]
`;
  return [...readBundle(MINI), { path: 'faults.yaml', content }];
}

describe('MCP gateway: upstream faults', () => {
  let t: TestServer;
  let client: Client;
  const peers: Peer[] = [];

  beforeAll(async () => {
    const garbage = await startPeer([path.join(PEERS, 'garbage-http.mjs')]);
    const hung = await startPeer([path.join(PEERS, 'hung-http.mjs')]);
    peers.push(garbage, hung);
    const node = process.execPath;
    t = await startTestServer(
      'sqlite',
      operatorAllows(['/nonexistent/mcp-server'], [node, path.join(PEERS, 'garbage-stdio.mjs')]),
    );
    const files = bundle({ garbage: garbage.url, hung: hung.url, down: `http://127.0.0.1:${await closedPort()}/mcp` });
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/fault-bot/keys' })).json().key;
    const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    client = new Client({ name: 'fault-agent', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
    for (const p of peers) await p.stop();
  });

  /** Calls a tool and measures how long the answer took (the bound is what is under test). */
  async function timed(name: string, args: Record<string, unknown> = {}) {
    const started = Date.now();
    const r = await client.callTool({ name, arguments: args });
    return { r, ms: Date.now() - started };
  }

  it('an HTTP upstream that is down: a tool error at once, and again (fast) while it stays down', async () => {
    const first = await timed('down-http.echo', { message: 'x' });
    expect(first.r.isError).toBe(true);
    // Not what answered (nothing, here): that would make the error a port scanner (test/security).
    expect(text(first.r)).toBe(
      'upstream MCP server "down-http" is unreachable or is not an MCP server (the Fulcrum server log says why)',
    );
    const again = await timed('down-http.echo', { message: 'x' });
    expect(text(again.r)).toMatch(/"down-http" is unreachable/);
    expect(first.ms + again.ms).toBeLessThan(5000);
  });

  it('a stdio upstream whose command does not exist: a tool error naming the spawn failure', async () => {
    const { r } = await timed('down-stdio.echo', { message: 'x' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/upstream MCP server "down-stdio" is unreachable: .*ENOENT/);
  });

  it('a slow upstream: the call times out at its McpServer timeoutMs while other calls to it go through', async () => {
    // Started first (spawning it is not what is timed), then: server-everything's long-running
    // operation sleeps `duration` seconds, far past the server's timeoutMs (700).
    expect(text((await timed('slow.echo', { message: 'warm' })).r)).toBe('Echo: warm');
    const slow = timed('slow.trigger-long-running-operation', { duration: 30, steps: 2 });
    const meanwhile = await timed('slow.echo', { message: 'still here' });
    expect(text(meanwhile.r)).toBe('Echo: still here');
    const { r, ms } = await slow;
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/"slow" did not answer tools\/call trigger-long-running-operation within 700 ms/);
    expect(ms).toBeLessThan(5000);
    expect(meanwhile.ms).toBeLessThan(ms);
  });

  it('a hung HTTP upstream (accepts, never answers): the handshake is bounded (FULCRUM_MCP_CONNECT_TIMEOUT_MS)', async () => {
    const { r, ms } = await timed('hung-http.echo', { message: 'x' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/"hung-http" did not complete the MCP handshake within 3000 ms/);
    expect(ms).toBeLessThan(8000);
  });

  it('upstreams that answer garbage, over stdio and over HTTP: a tool error saying so', async () => {
    const stdio = await timed('garbage-stdio.echo', { message: 'x' });
    expect(stdio.r.isError).toBe(true);
    // What it sent stays in the server log.
    expect(text(stdio.r)).toBe('upstream MCP server "garbage-stdio" sent data that is not JSON-RPC');
    const http = await timed('garbage-http.echo', { message: 'x' });
    expect(http.r.isError).toBe(true);
    expect(text(http.r)).toMatch(/upstream MCP server "garbage-http" is unreachable or is not an MCP server/);
    expect(stdio.ms + http.ms).toBeLessThan(5000);
  });

  it('records each failed forwarded call as evidence with its fault', async () => {
    await t.app.mcp.close();
    const spans = await t.app.database.db
      .selectFrom('spans')
      .select(['tool', 'error_type'])
      .where('agent', '=', 'fault-bot')
      .execute();
    const byTool = Object.fromEntries(spans.map((s) => [s.tool, s.error_type]));
    expect(byTool).toMatchObject({
      'down-http.echo': 'upstream_unreachable',
      'slow.trigger-long-running-operation': 'upstream_timeout',
      'slow.echo': null,
    });
  });
});
