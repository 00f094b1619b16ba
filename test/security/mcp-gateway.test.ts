// The MCP gateway against agents and upstreams that misbehave on purpose (found by attacking it):
// one agent's cancellations reach no other agent's call; calls an upstream never answers give their
// sockets back; one POST's HTTP error fails that call only; a client span cannot hide another Tool's
// call from the evidence; numbers policies cannot compare exactly are refused, audited; two
// McpServers cannot claim one prefix; an upstream's progress reaches a slow agent bounded; an
// answer an upstream sent on one call's POST for another request reaches neither call.
import http from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayBundle, post } from '../mcp/fixture.js';
import { operatorAllows, PEERS, type Peer, startEverythingHttp, startPeer } from '../mcp/peers.js';
import { readBundle } from '../support/files.js';
import { otlpExport } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;

/** An http McpServer `leg` at `url` with the given tools, and two agents that may call them all. */
function legBundle(url: string, tools: string[], serverExtra = '') {
  const tool = (name: string) =>
    `apiVersion: fulcrum/v1\nkind: Tool\nmetadata: { name: leg.${name} }\nspec: { system: leg, effect: read, dataDomains: [], arguments: { type: object } }\n---\n`;
  const agent = (name: string) =>
    `apiVersion: fulcrum/v1\nkind: Agent\nmetadata: { name: ${name} }\nspec:\n  initiative: support-deflection\n  owner: dana.lee\n  framework: openai-agents-sdk\n  extraTools: [${tools.map((t) => `leg.${t}`).join(', ')}]\n---\n`;
  const content = `apiVersion: fulcrum/v1\nkind: McpServer\nmetadata: { name: leg }\nspec: { transport: http, url: ${JSON.stringify(url)}${serverExtra} }\n---\n${tools.map(tool).join('')}${agent('atk-bot')}${agent('other-bot')}`;
  return [...readBundle(MINI), { path: 'leg.yaml', content }];
}

/** One JSON-RPC POST to /mcp in 2025-11-25, as an agent. */
/** Applies `files`, issues a key to each of `agents` (in that order), and listens on 127.0.0.1. */
async function applyAndListen<const A extends readonly string[]>(
  t: TestServer,
  files: Array<{ path: string; content: string }>,
  agents: A,
) {
  const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
  expect(applied.statusCode, applied.body).toBe(200);
  const keys: string[] = [];
  for (const a of agents) keys.push((await t.request({ method: 'POST', url: `/v1/agents/${a}/keys` })).json().key as string);
  return { keys: keys as { [K in keyof A]: string }, url: await t.server.listen({ host: '127.0.0.1', port: 0 }) };
}

const toolCall = (name: string, args: unknown, id: unknown = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

describe('an agent and a misbehaving 2025 upstream', () => {
  let t: TestServer;
  let peer: Peer;
  let url: string;
  let atk: string;
  let other: string;
  const stats = async () =>
    (await (await fetch(peer.url.replace(/\/mcp$/, '/stats'))).json()) as {
      open: number;
      posts: number;
      cancelled: number;
      initialized: number;
    };
  /**
   * other-bot's slow call, once the upstream has it (it sent one more POST), or once it has answered
   * (then the assertions on its answer say what went wrong). Waited for without a tight bound: on a
   * loaded machine the node may still be recording the previous test's 80 timed-out calls.
   */
  const slowAtUpstream = async () => {
    const posts = (await stats()).posts;
    let answered = false;
    const slow = post(url, other, toolCall('leg.slow', {}))
      .then((r) => r.json() as Promise<{ result: CallToolResult }>)
      .finally(() => {
        answered = true;
      });
    await until(async () => answered || (await stats()).posts > posts, 'the slow call at the upstream', { timeoutMs: 40_000 });
    // In flight at the upstream (it answers after 0.6 s), not already answered: what it answered says why.
    if (answered) throw new Error(`the slow call answered before the upstream had it: ${JSON.stringify(await slow)}`);
    return { slow }; // not the promise itself: an async function would wait for it
  };

  beforeAll(async () => {
    peer = await startPeer([path.join(PEERS, 'legacy-upstream.mjs')]);
    // One agent with more calls in flight than the outbound agent's 64 sockets per upstream: an
    // operator who raised the per-agent bound (32 by default) to 100.
    process.env.FULCRUM_MCP_MAX_CALLS_PER_AGENT = '100';
    try {
      t = await startTestServer('sqlite', operatorAllows());
    } finally {
      delete process.env.FULCRUM_MCP_MAX_CALLS_PER_AGENT;
    }
    const files = legBundle(peer.url, ['echo', 'hang', 'slow', 'ratelimited', 'gone', 'bigprogress'], ', timeoutMs: 1000');
    ({
      keys: [atk, other],
      url,
    } = await applyAndListen(t, files, ['atk-bot', 'other-bot']));
  });
  afterAll(async () => {
    await t?.close();
    await peer?.stop();
  });

  it("gives a timed-out call's socket back: 80 unanswered calls leave the upstream reachable", async () => {
    const client = new Client({ name: 'atk', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${atk}` } } }),
    );
    try {
      // More than the outbound agent's 64 sockets per upstream.
      const hung = await Promise.all(Array.from({ length: 80 }, () => client.callTool({ name: 'leg_hang', arguments: {} })));
      expect(hung.every((r) => /did not answer tools\/call hang within 1000 ms/.test(text(r)))).toBe(true);
      expect(text(await client.callTool({ name: 'leg_echo', arguments: { message: 'after' } }))).toBe('Echo: after');
      // The upstream heard each cancellation and saw the abandoned calls' sockets close.
      await until(async () => {
        const s = await stats();
        return s.cancelled >= 80 && s.open < 64;
      }, 'the upstream to see 80 cancellations and the abandoned sockets closed');
    } finally {
      await client.close();
    }
  }, 60_000);

  it("fails one agent's call on its HTTP error, and only that call", async () => {
    const { slow } = await slowAtUpstream();
    const limited = (await (await post(url, atk, toolCall('leg.ratelimited', {}))).json()) as {
      result: CallToolResult;
    };
    expect(limited.result.isError).toBe(true);
    expect(text(limited.result)).toMatch(/answered tools\/call ratelimited with HTTP 429/);
    expect(text((await slow).result)).toBe('slow done');
  }, 60_000);

  it('reconnects after a lost session, letting the calls in flight on the old connection finish', async () => {
    await post(url, atk, toolCall('leg.echo', { message: 'connected' })); // the connection exists
    const before = (await stats()).initialized;
    const { slow } = await slowAtUpstream();
    const gone = (await (await post(url, atk, toolCall('leg.gone', {}))).json()) as { result: CallToolResult };
    expect(gone.result.isError).toBe(true);
    expect(text((await slow).result)).toBe('slow done');
    const echo = (await (await post(url, atk, toolCall('leg.echo', { message: 'again' }))).json()) as { result: CallToolResult };
    expect(text(echo.result)).toBe('Echo: again');
    expect((await stats()).initialized).toBe(before + 1);
  }, 60_000);

  it("bounds what an upstream's progress sends a slow agent", async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      // 12 MB: thirty times the budget, made within the upstream's 1 s timeout even on a loaded
      // machine (40 MB took longer than that once in .ci/run).
      params: { name: 'leg.bigprogress', arguments: { n: 12, size: 1_000_000 }, _meta: { progressToken: 'p' } },
    });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(
        new URL(`${url}/mcp`),
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            authorization: `Bearer ${atk}`,
            'mcp-protocol-version': '2025-11-25',
          },
        },
        resolve,
      );
      req.on('error', reject);
      req.end(body);
    });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const received = Buffer.concat(chunks).toString('utf8');
    // 12 MB of progress messages upstream; the agent gets them cut, within the per-call budget, and the answer.
    expect(received.length).toBeLessThan(400 * 1024);
    expect(received).toContain('"text":"done"');
  }, 60_000);
});

describe('two agents on one upstream connection, and an upstream that crosses its answers', () => {
  let t: TestServer;
  let peer: Peer;
  let url: string;
  let atk: string;
  let other: string;
  const posts = async () => ((await (await fetch(peer.url.replace(/\/mcp$/, '/stats'))).json()) as { posts: number }).posts;
  const call = async (key: string, name: string, args: unknown) =>
    ((await (await post(url, key, toolCall(name, args))).json()) as { result: CallToolResult }).result;

  beforeAll(async () => {
    peer = await startPeer([path.join(PEERS, 'legacy-upstream.mjs')]);
    t = await startTestServer('sqlite', operatorAllows());
    ({
      keys: [atk, other],
      url,
    } = await applyAndListen(t, legBundle(peer.url, ['echo', 'slow', 'swap'], ', timeoutMs: 20000'), ['atk-bot', 'other-bot']));
  });
  afterAll(async () => {
    await t?.close();
    await peer?.stop();
  });

  // Every agent's calls share the node's connection (JSON-RPC ids multiplexed), but each has its own
  // POST: an answer on that POST naming another request's id (a confused proxy) once reached the
  // other agent's call, a customer record handed to the wrong agent.
  for (const sse of [false, true])
    it(`gives no call the answer an upstream sent on another call's POST (${sse ? 'SSE' : 'JSON'})`, async () => {
      expect(text(await call(atk, 'leg.echo', { message: 'connect' }))).toBe('Echo: connect'); // the connection is up
      const before = await posts();
      const swap = call(atk, 'leg.swap', { sse, record: "atk's customer" });
      await until(async () => (await posts()) > before, 'the swap call at the upstream');
      // other-bot's call reaches the upstream, which answers atk-bot's POST with its id.
      const [crossed, slow] = await Promise.all([swap, call(other, 'leg.slow', {})]);
      expect(text(slow)).toBe('slow done');
      expect(crossed.isError).toBe(true);
      expect(text(crossed)).toBe(
        'upstream MCP server "leg" answered tools/call swap with a response to another request, which was not passed on (the Fulcrum server log says why)',
      );
      // The connection goes on.
      expect(text(await call(other, 'leg.echo', { message: 'after' }))).toBe('Echo: after');
    }, 30_000);
});

describe('agents sharing the node and its upstream (server-everything)', () => {
  let t: TestServer;
  let upstream: Peer;
  let url: string;
  let mcpKey: string;
  let webKey: string;
  const LONG_OPS = `---
apiVersion: fulcrum/v1
kind: Policy
metadata: { name: long-ops }
spec:
  description: Long operations need a person
  cedar: |
    @approval("Operations over half a second need a person")
    forbid (principal, action == Action::"ev.trigger-long-running-operation", resource) when { context.arguments has duration && context.arguments.duration.greaterThan(decimal("0.5")) };
`;

  beforeAll(async () => {
    upstream = await startEverythingHttp();
    t = await startTestServer('sqlite', operatorAllows());
    ({
      keys: [mcpKey, webKey],
      url,
    } = await applyAndListen(t, gatewayBundle(upstream.url, LONG_OPS), ['mcp-bot', 'web-bot']));
  });
  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
  });

  it("never lets one agent's notifications/cancelled reach another agent's call", async () => {
    const victim = post(url, mcpKey, toolCall('web_echo', { message: 'victim' }, 'victim'), AbortSignal.timeout(10_000));
    // Another agent sprays cancellations for every small id the node's shared server may be using.
    const spray = Array.from({ length: 100 }, (_, i) => ({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: i + 1, reason: 'x' },
    }));
    const sprayed = await post(url, webKey, spray);
    expect(sprayed.status).toBe(202);
    const answered = await victim;
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('Echo: victim');
  }, 20_000);

  it('refuses, audited, numbers policies cannot compare exactly', async () => {
    const call = async (name: string, rawArgs: string) =>
      (await (
        await post(
          url,
          mcpKey,
          `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"${name}","arguments":${rawArgs}}}`,
        )
      ).json()) as { result?: CallToolResult; error?: { message: string } };
    // 0.50004 > 0.5, but rounded to Cedar's four places it would compare equal and skip the approval.
    const precise = await call('ev_trigger-long-running-operation', '{"duration": 0.50004, "steps": 1}');
    expect(precise.result?.isError).toBe(true);
    expect(text(precise.result)).toMatch(/duration 0\.50004 has more than 4 decimal places/);
    // Past a Long: a readable refusal in the audit log, not a protocol error nobody recorded.
    const huge = await call('ev_get-sum', '{"a": 9223372036854775808, "b": 1}');
    expect(huge.result?.isError).toBe(true);
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?agent=mcp-bot&limit=10' })).json().items as Array<{
      target: string;
      decision: string;
      reasons: Array<{ policy: string }>;
    }>;
    const refused = audit
      .filter((e) => e.decision === 'deny' && e.reasons[0]?.policy === 'invalid-arguments')
      .map((e) => e.target);
    expect(refused).toEqual(expect.arrayContaining(['ev.trigger-long-running-operation', 'ev.get-sum']));
  }, 20_000);

  it("cannot hide a call's count behind a client span of another Tool", async () => {
    const trace = 'ab'.repeat(16);
    const span = 'cd'.repeat(8);
    // An hour ago: a client span pairs by time with an untraced gateway record of its agent and Tool
    // started within it (docs/evidence.md), and the tests before this one called web_echo as this
    // agent seconds ago. This test is about pairing by trace only.
    const at = Date.now() - 3_600_000;
    const otlp = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: mcpKey,
      payload: otlpExport(
        [
          {
            traceId: trace,
            spanId: span,
            name: 'execute_tool web_echo',
            startMs: at - 1000,
            endMs: at,
            attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'web_echo' },
          },
        ],
        {},
      ),
    });
    expect(otlp.statusCode, otlp.body).toBe(200);
    const r = await post(url, mcpKey, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'web_get-sum', arguments: { a: 2, b: 3 }, _meta: { traceparent: `00-${trace}-${span}-01` } },
    });
    expect(await r.text()).toContain('The sum of 2 and 3 is 5');
    await t.app.mcp.close(); // writes the gateway's buffered records
    const rows = await t.app.database.db
      .selectFrom('spans')
      .select(['tool', 'duplicate'])
      .where('trace_id', '=', trace)
      .execute();
    expect(rows.filter((x) => x.duplicate === 0).map((x) => x.tool)).toEqual(expect.arrayContaining(['web.echo', 'web.get-sum']));
  }, 20_000);

  it('answers a 2025 batch with an unsupported MCP-Protocol-Version 400, naming the versions served', async () => {
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const res = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${mcpKey}`,
        'mcp-protocol-version': '1999-01-01',
      },
      body: JSON.stringify([list]),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.message).toMatch(/Unsupported protocol version: 1999-01-01 \(supported versions: .*2025-11-25/);
    const ok = await post(url, mcpKey, [list]);
    expect(ok.status).toBe(200);
  });
});

describe('McpServers and tool prefixes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite', operatorAllows());
  });
  afterAll(async () => t?.close());

  it('refuses a second McpServer claiming a prefix another already has, naming both', async () => {
    const server = (name: string, port: number, prefix?: string) =>
      `apiVersion: fulcrum/v1\nkind: McpServer\nmetadata: { name: ${name} }\nspec: { transport: http, url: "http://127.0.0.1:${port}/mcp"${prefix ? `, toolPrefix: ${prefix}` : ''} }\n---\n`;
    const tool =
      'apiVersion: fulcrum/v1\nkind: Tool\nmetadata: { name: crm.get_order }\nspec: { system: crm, effect: read, dataDomains: [], arguments: { type: object } }\n';
    const apply = (content: string) =>
      t.request({ method: 'POST', url: '/v1/apply', payload: { files: [...readBundle(MINI), { path: 'crm.yaml', content }] } });
    const first = await apply(server('crm', 1) + tool);
    expect(first.statusCode, first.body).toBe(200);
    const second = await apply(server('crm', 1) + server('aaa-proxy', 2, 'crm') + tool);
    expect(second.statusCode).toBe(422);
    expect(second.body).toMatch(/McpServer \\"aaa-proxy\\" and McpServer \\"crm\\" both claim the tool prefix \\"crm\\"/);
    // A longer prefix over a Tool another server serves would take it over: refused unless labelled.
    const nested = await apply(
      server('crm', 1) + server('intruder', 3, 'crm.find') + tool.replace('crm.get_order', 'crm.find.order'),
    );
    expect(nested.statusCode).toBe(422);
    expect(nested.body).toMatch(
      /Tool \\"crm.find.order\\" falls under the prefixes of McpServer \\"crm\\" \(\\"crm\\"\) and McpServer \\"intruder\\" \(\\"crm.find\\"\); label it fulcrum\/mcp-server/,
    );
    const labelled = tool
      .replace('crm.get_order', 'crm.find.order')
      .replace('metadata: { name: crm.find.order }', 'metadata: { name: crm.find.order, labels: { fulcrum/mcp-server: crm } }');
    const ok = await apply(server('crm', 1) + server('intruder', 3, 'crm.find') + labelled);
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
