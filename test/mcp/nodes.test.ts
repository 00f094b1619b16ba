// Two Fulcrum nodes on one database behind a round-robin balancer: an unmodified SDK client's
// session spreads over both (the gateway keeps no session state), and a call held for approval on
// one node completes when a person approves it through the other.
import http from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/http/server.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { ADMIN_TOKEN } from '../support/server.js';
import { until } from '../support/wait.js';
import { gatewayBundle } from './fixture.js';
import { operatorAllows, type Peer, startEverythingHttp } from './peers.js';

interface Node {
  app: App;
  server: FastifyInstance;
  url: string;
}

/** Sends each request to the next node in turn, and counts what each node served. */
function roundRobin(nodes: Node[]) {
  let next = 0;
  const served = nodes.map(() => 0);
  const state = { last: -1 };
  const server = http.createServer((req, res) => {
    const i = next++ % nodes.length;
    state.last = i;
    served[i] = (served[i] ?? 0) + 1;
    const target = new URL((nodes[i] as Node).url);
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise<{ url: string; served: number[]; state: { last: number }; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        served,
        state,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

describe.each(ENGINES)('MCP gateway on two nodes (%s)', (engine) => {
  let database: TestDatabase;
  let upstream: Peer;
  const nodes: Node[] = [];
  let lb: Awaited<ReturnType<typeof roundRobin>>;
  let client: Client;

  beforeAll(async () => {
    upstream = await startEverythingHttp();
    database = await createTestDatabase(engine);
    for (let i = 0; i < 2; i++) {
      const config = loadConfig(
        { FULCRUM_DATA_DIR: database.dir },
        // Registry changes reach the other node only through the database reads under test, not a poll.
        {
          adminToken: ADMIN_TOKEN,
          monitorIntervalSeconds: 0,
          retentionIntervalHours: 0,
          registryPollMs: 3_600_000,
          ...operatorAllows(),
        },
      );
      const app = await createApp(config, database.open());
      const server = await buildServer(app);
      nodes.push({ app, server, url: await server.listen({ host: '127.0.0.1', port: 0 }) });
    }
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const b = nodes[1] as Node;
    await applyOnA(gatewayBundle(upstream.url));
    // The key is issued on node B; the client reaches both.
    const key = (await b.server.inject({ method: 'POST', url: '/v1/agents/mcp-bot/keys', headers: auth })).json().key;
    lb = await roundRobin(nodes);
    client = new Client({ name: 'lb-agent', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${lb.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await lb?.close();
    for (const n of nodes) {
      await n.server.close();
      await n.app.close();
    }
    await database?.drop();
    await upstream?.stop();
  });

  it('serves one client session from both nodes', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('web_echo');
      const r = (await client.callTool({ name: 'web.echo', arguments: { message: `hop ${i}` } })) as CallToolResult;
      expect(r.content[0]).toEqual({ type: 'text', text: `Echo: hop ${i}` });
    }
    expect(lb.served.every((n) => n >= 3)).toBe(true);
  });

  it('completes a call held on one node when the approval is granted through the other', async () => {
    const calling = client.callTool({ name: 'web.get-sum', arguments: { a: 200, b: 2 } });
    // The call reaches a node and waits there; the other node lists its approval.
    const pending = await pendingOn(nodes[0] as Node, () => true);
    const holder = lb.state.last;
    const other = nodes[1 - holder] as Node;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect(pending).toHaveLength(1);
    const approved = await other.server.inject({
      method: 'POST',
      url: `/v1/approvals/${pending[0]?.id}/approve`,
      headers: auth,
      payload: {},
    });
    expect(approved.statusCode).toBe(200);
    const r = (await calling) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r.content)).toContain('202');
  });

  it('opens one approval for the same call asked on both nodes at once', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const [a, b] = nodes as [Node, Node];
    const key = (await a.server.inject({ method: 'POST', url: '/v1/agents/mcp-bot/keys', headers: auth })).json().key;
    const ask = (n: Node) =>
      fetch(`${n.url}/v1/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'tool.call', tool: 'web.get-sum', arguments: { a: 610, b: 1 } }),
      }).then((r) => r.json() as Promise<{ decision: string; approvalId: string }>);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i % 2 === 0 ? a : b)));
    expect(answers.every((x) => x.decision === 'approval_required')).toBe(true);
    expect(new Set(answers.map((x) => x.approvalId)).size).toBe(1);
    const pending = (await b.server.inject({ method: 'GET', url: '/v1/approvals?status=pending', headers: auth })).json()
      .items as Array<{ arguments: { a: number } }>;
    expect(pending.filter((p) => p.arguments.a === 610)).toHaveLength(1);
  });

  it('refuses a tool call on one node with a key revoked through the other, over both protocols', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const [a, b] = nodes as [Node, Node];
    const issue = async () => (await a.server.inject({ method: 'POST', url: '/v1/agents/mcp-bot/keys', headers: auth })).json();
    const revoke = async (id: string) =>
      expect((await a.server.inject({ method: 'DELETE', url: `/v1/agents/mcp-bot/keys/${id}`, headers: auth })).statusCode).toBe(
        204,
      );
    const echoed = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;

    // 2026-07-28 (the plain path): node B serves a call with the key, then the key is revoked through A.
    // B's next decision with it is made against the key table it holds, and refused at its commit.
    const first = await issue();
    const modern = async (id: number) =>
      (await fetch(`${b.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${first.key}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'web_echo',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: {
            name: 'web_echo',
            arguments: { message: 'hi' },
            _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} },
          },
        }),
      }).then((r) => r.json())) as { result?: unknown; error?: { message: string } };
    expect(echoed((await modern(1)).result)).toBe('Echo: hi');
    await revoke(first.id);
    expect((await modern(2)).error?.message).toBe('unknown or revoked agent key');

    // 2025-11-25 (through the SDK server): the same with a second key.
    const second = await issue();
    const legacy = new Client({ name: 'revoked-agent', version: '1' });
    await legacy.connect(
      new StreamableHTTPClientTransport(new URL(`${b.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${second.key}` } },
      }),
    );
    expect(echoed(await legacy.callTool({ name: 'web_echo', arguments: { message: 'before' } }))).toBe('Echo: before');
    await revoke(second.id);
    await expect(legacy.callTool({ name: 'web_echo', arguments: { message: 'after' } })).rejects.toThrow(
      /unknown or revoked agent key/,
    );
    await legacy.close();
    // The refused decisions are in the audit log as denies naming the revoked keys.
    const audit = (await a.server.inject({ method: 'GET', url: '/v1/audit?agent=mcp-bot&limit=50', headers: auth })).json().items;
    const refusals = audit.filter(
      (e: { reasons?: Array<{ policy: string }> }) => e.reasons?.[0]?.policy === 'credential-revoked',
    );
    expect(refusals.map((e: { decision: string }) => e.decision)).toEqual(['deny', 'deny']);
  });
  /** The pending approvals node `n` lists that `which` selects, once there is one. */
  async function pendingOn(n: Node, which: (p: { id: string; arguments: { a?: number } }) => boolean) {
    let found: Array<{ id: string; arguments: { a?: number } }> = [];
    await until(async () => {
      const items = (
        await n.server.inject({
          method: 'GET',
          url: '/v1/approvals?status=pending',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).json().items as typeof found;
      found = items.filter(which);
      return found.length > 0;
    }, 'a pending approval');
    return found;
  }

  /** Applies a bundle through node A (B learns of it only at its next decision's commit). */
  async function applyOnA(files: Array<{ path: string; content: string }>) {
    const r = await (nodes[0] as Node).server.inject({
      method: 'POST',
      url: '/v1/apply',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { files },
    });
    expect(r.statusCode, r.body).toBe(200);
  }

  /** A tools/call to node B over 2026-07-28 (no session), with a key of mcp-bot. */
  async function callOnB(key: string, id: number, name: string, args: Record<string, unknown>) {
    const b = nodes[1] as Node;
    return (await fetch(`${b.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': name,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: {
          name,
          arguments: args,
          _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} },
        },
      }),
    }).then((r) => r.json())) as { result: CallToolResult };
  }

  /** The gateway bundle with a Tool's data domains (and, with `archetypeToo`, mcp-helper's) changed. */
  function withDomains(tool: string, domains: string, archetypeToo = false, opts: { httpApprovalWaitSeconds?: number } = {}) {
    const escaped = tool.replace('.', '\\.');
    return gatewayBundle(upstream.url, '', opts).map((f) => {
      if (f.path !== 'mcp.yaml') return f;
      let content = f.content.replace(
        new RegExp(`(metadata: \\{ name: ${escaped} \\}\\nspec:\\n(?: {2}.*\\n)*? {2}dataDomains: )\\[\\]`),
        `$1${domains}`,
      );
      if (archetypeToo)
        content = content.replace(
          /(metadata: \{ name: mcp-helper \}\nspec:\n(?: {2}.*\n)*? {2}dataDomains: )\[\]/,
          `$1${domains}`,
        );
      return { ...f, content };
    });
  }

  it('refuses a call approved on the Tool as it was, once it changed through the other node', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const a = nodes[0] as Node;
    const key = (await a.server.inject({ method: 'POST', url: '/v1/agents/mcp-bot/keys', headers: auth })).json().key;
    const changed = withDomains('web.get-sum', '[customer-records]', true);
    expect(changed).not.toEqual(gatewayBundle(upstream.url));
    // Held on B for a person (sums over 100), with the Tool as B holds it: no data domains.
    const calling = callOnB(key, 1, 'web_get-sum', { a: 300, b: 1 });
    const pending = await pendingOn(a, (p) => p.arguments.a === 300);
    expect(pending).toHaveLength(1);
    // Through A, the Tool now reads customer records (which the archetype allows), and the call is approved.
    await applyOnA(changed);
    const approved = await a.server.inject({
      method: 'POST',
      url: `/v1/approvals/${pending[0]?.id}/approve`,
      headers: auth,
      payload: {},
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const r = (await calling).result;
    expect(r.isError).toBe(true);
    // The call touches the Tool's data domains as they are now: not the call that was approved.
    expect(JSON.stringify(r.content)).toMatch(
      /approval apr_\S+ was granted for the call touching data domains \[\], and this one touches \[customer-records\]/,
    );
    await applyOnA(gatewayBundle(upstream.url));
  });

  it('refuses a call that joined its approved approval, once the Tool changed through the other node', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const a = nodes[0] as Node;
    // A wait of a second: a call that waited for a person anew would answer soon, saying so.
    await applyOnA(gatewayBundle(upstream.url, '', { httpApprovalWaitSeconds: 1 }));
    const key = (await a.server.inject({ method: 'POST', url: '/v1/agents/mcp-bot/keys', headers: auth })).json().key;
    // Node B serves a call: it holds the registry as it is now.
    expect((await callOnB(key, 1, 'web_echo', { message: 'x' })).result.content[0]).toEqual({ type: 'text', text: 'Echo: x' });
    // The call is asked (its wait ran out, say), and a person approves it afterwards.
    const asked = await fetch(`${a.url}/v1/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'tool.call', tool: 'web.get-sum', arguments: { a: 400, b: 1 } }),
    }).then((r) => r.json() as Promise<{ decision: string; approvalId: string }>);
    expect(asked.decision).toBe('approval_required');
    const approved = await a.server.inject({
      method: 'POST',
      url: `/v1/approvals/${asked.approvalId}/approve`,
      headers: auth,
      payload: {},
    });
    expect(approved.statusCode, approved.body).toBe(200);
    // Through A, the Tool now reads customer records (which the archetype allows).
    await applyOnA(withDomains('web.get-sum', '[customer-records]', true, { httpApprovalWaitSeconds: 1 }));
    // The agent calls again on B with the same arguments and no approval id, on the Tool as B held
    // it. Decided again at its commit on the Tool as it is, it touches customer records: not the call
    // approved, which it neither joins nor spends. A person is asked about it.
    const r = (await callOnB(key, 2, 'web_get-sum', { a: 400, b: 1 })).result;
    expect(r.isError).toBe(true);
    const approval = (await a.server.inject({ method: 'GET', url: `/v1/approvals/${asked.approvalId}`, headers: auth })).json();
    expect(approval.status).toBe('approved');
    const pending = (
      (await a.server.inject({ method: 'GET', url: '/v1/approvals?status=pending', headers: auth })).json().items as Array<{
        arguments: { a: number };
        dataDomains: string[];
      }>
    ).filter((p) => p.arguments.a === 400);
    expect(pending).toMatchObject([{ dataDomains: ['customer-records'] }]);
    await applyOnA(gatewayBundle(upstream.url));
  });

  it('decides a call again when the Tool it names changed through the other node meanwhile', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const a = nodes[0] as Node;
    const key = (await a.server.inject({ method: 'POST', url: '/v1/agents/mcp-bot/keys', headers: auth })).json().key;
    const call = async (id: number, message: string) => (await callOnB(key, id, 'web_echo', { message })).result;
    // web.echo now reads customer records, which mcp-bot's archetype does not allow.
    const sensitive = withDomains('web.echo', '[customer-records]');
    expect(sensitive).not.toEqual(gatewayBundle(upstream.url));
    // Node B serves a call, so it holds web.echo as it was when A changes it.
    expect((await call(1, 'before')).content[0]).toEqual({ type: 'text', text: 'Echo: before' });
    await applyOnA(sensitive);
    // Decided again on the Tool as it is, and refused: mcp-bot is no longer shown web.echo and may not
    // call it with any arguments, so it hears what an unknown name hears; the audit log names the rule.
    const refused = (await callOnB(key, 2, 'web_echo', { message: 'after' })) as unknown as { error: unknown };
    expect(refused.error).toMatchObject({ code: -32602, message: 'unknown tool "web_echo"' });
    const denied = (
      await a.server.inject({ method: 'GET', url: '/v1/audit?agent=mcp-bot&decision=deny&limit=5', headers: auth })
    ).json().items as Array<{ target: string }>;
    expect(JSON.stringify(denied.find((d) => d.target === 'web.echo'))).toContain('builtin/archetype-data-domains');
    // Decided again at its commit on the Tool as it is (its data domains included): nothing was
    // allowed on the Tool as it was.
    const allowed = (
      await a.server.inject({ method: 'GET', url: '/v1/audit?agent=mcp-bot&decision=allow&limit=50', headers: auth })
    ).json().items as Array<{ target: string; arguments: { message?: string } }>;
    expect(allowed.filter((d) => d.target === 'web.echo' && d.arguments.message === 'after')).toEqual([]);
    // Changed back: B, holding the Tool as sensitive, decides its next call on it as it is again.
    await applyOnA(gatewayBundle(upstream.url));
    expect((await call(3, 'again')).content[0]).toEqual({ type: 'text', text: 'Echo: again' });
  });

  it('tells a call held on one node over 2026-07-28 that a suspension made through the other revoked its approval', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const a = nodes[0] as Node;
    const key = (await a.server.inject({ method: 'POST', url: '/v1/agents/mcp-bot/keys', headers: auth })).json().key;
    const control = async (verb: 'suspend' | 'resume') => {
      const r = await a.server.inject({
        method: 'POST',
        url: `/v1/agents/mcp-bot/${verb}`,
        headers: auth,
        payload: { reason: 'drill' },
      });
      expect(r.statusCode, r.body).toBe(200);
    };
    const calling = callOnB(key, 1, 'web_get-sum', { a: 333, b: 1 });
    const [pending] = await pendingOn(a, (p) => p.arguments.a === 333);
    await control('suspend');
    try {
      const r = (await calling).result;
      expect(r.isError).toBe(true);
      expect(r.content).toEqual([
        {
          type: 'text',
          text: `approval ${pending?.id} was revoked (agent suspended) before the call could use it: agent mcp-bot is suspended (builtin/agent-status, the kill switch); once a person resumes it, call the tool again to ask a person again.`,
        },
      ]);
    } finally {
      await control('resume');
    }
  });
});
