// A node that stops while an agent's MCP tool call is still running upstream: when its grace runs
// out the agent's connection is cut, the gateway's upstream connections close, and the call is
// recorded (an `execute_tool` span with its fault) before the database closes.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { EVERYTHING, operatorAllows, type Peer, startEverythingHttp } from './peers.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(['stdio', 'http'] as const)('a stopping node, the upstream over %s', (transport) => {
  let t: TestServer | undefined;
  let handle: DatabaseHandle | undefined;
  let peer: Peer | undefined;
  afterAll(async () => {
    await handle?.destroy();
    await t?.database.drop();
    await peer?.stop();
  });

  it('records a tool call its stopping node cut, before the database closes', async () => {
    t = await startTestServer('sqlite', { ...operatorAllows(), shutdownGraceMs: 200 });
    peer = transport === 'http' ? await startEverythingHttp() : undefined;
    const server = peer
      ? `{ transport: http, url: ${JSON.stringify(peer.url)}, timeoutMs: 60000 }`
      : `{ transport: stdio, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(EVERYTHING)}, stdio], timeoutMs: 60000 }`;
    const content = `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: slow }
spec: ${server}
---
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: slow.trigger-long-running-operation }
spec: { system: slow, effect: read, dataDomains: [], arguments: { type: object } }
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: slow-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [slow.trigger-long-running-operation]
`;
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: [...readBundle(MINI), { path: 'slow.yaml', content }] },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/slow-bot/keys' })).json().key;
    const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    const client = new Client({ name: 'slow-agent', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }),
    );
    // The upstream sleeps 60 s in 60 steps, reporting each: the first report says the call is running.
    let running: () => void = () => {};
    const started = new Promise<void>((r) => {
      running = r;
    });
    const call = client
      .callTool({ name: 'slow.trigger-long-running-operation', arguments: { duration: 60, steps: 60 } }, undefined, {
        onprogress: () => running(),
        timeout: 120_000,
      })
      .catch((err: Error) => err);
    await started;
    // The node stops as `fulcrum serve` does: the server (its grace cuts the call), then the app.
    await t.server.close();
    await t.app.close();
    // The client would try to resume the cut stream: closing it ends the call.
    await client.close();
    expect(await call).toBeInstanceOf(Error);

    handle = t.database.open();
    const spans = await handle.db
      .selectFrom('spans')
      .select(['tool', 'operation', 'error_type', 'source'])
      .where('agent', '=', 'slow-bot')
      .execute();
    expect(spans).toEqual([
      {
        tool: 'slow.trigger-long-running-operation',
        operation: 'execute_tool',
        error_type: expect.stringMatching(/^upstream_/),
        source: 'mcp',
      },
    ]);
  });
});
