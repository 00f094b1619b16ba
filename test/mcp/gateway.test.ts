// The MCP gateway end to end: the official SDK client talks to /mcp on a real socket, Fulcrum
// forwards to @modelcontextprotocol/server-everything over stdio and over Streamable HTTP.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { gatewayBundle, post } from './fixture.js';
import { operatorAllows, type Peer, startEverythingHttp } from './peers.js';

async function connect(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'test-agent', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }),
  );
  return client;
}

const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;

describe.each(ENGINES)('MCP gateway (%s)', (engine) => {
  let t: TestServer;
  let upstream: Peer;
  let url: string;
  let mcpBot: Client;
  let webBot: Client;

  beforeAll(async () => {
    upstream = await startEverythingHttp();
    t = await startTestServer(engine, operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: gatewayBundle(upstream.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    const key = async (agent: string) => (await t.request({ method: 'POST', url: `/v1/agents/${agent}/keys` })).json().key;
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    mcpBot = await connect(url, await key('mcp-bot'));
    webBot = await connect(url, await key('web-bot'));
  });
  afterAll(async () => {
    await mcpBot?.close();
    await webBot?.close();
    await t?.close();
    await upstream?.stop();
  });

  it('shows each agent only the tools its policies let it call', async () => {
    const names = (await mcpBot.listTools()).tools.map((t) => t.name).sort();
    // ev.get-env is forbidden outright, ev.get-tiny-image is not among its tools; get-sum needs
    // approval only for large sums, so it is shown.
    // Names a model API accepts (the registry's dots become underscores).
    expect(names).toEqual(['ev_echo', 'ev_get-sum', 'ev_trigger-long-running-operation', 'web_echo', 'web_get-sum']);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    const web = (await webBot.listTools()).tools;
    expect(web.map((t) => t.name)).toEqual(['web_echo']);
    expect(web[0]).toMatchObject({ inputSchema: { type: 'object', required: ['message'] }, annotations: { readOnlyHint: true } });
  });

  it('keeps agents apart when their requests run at once (one SDK server answers them all)', async () => {
    const lists = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? mcpBot : webBot).listTools().then((r) => r.tools.length)),
    );
    expect(lists).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 5 : 1)));
    // Two agents' calls with the same JSON-RPC id at once: each gets its own answer, under its own id.
    const keyOf = async (agent: string) => (await t.request({ method: 'POST', url: `/v1/agents/${agent}/keys` })).json().key;
    const [mcpKey, webKey] = await Promise.all([keyOf('mcp-bot'), keyOf('web-bot')]);
    const raw = (key: string, tool: string, message: string) =>
      fetch(`${url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${key}`,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'same',
          method: 'tools/call',
          params: { name: tool, arguments: { message } },
        }),
      }).then((r) => r.json());
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? raw(mcpKey, 'ev.echo', `m${i}`) : raw(webKey, 'web.echo', `w${i}`))),
    );
    expect(answers.map((a) => [a.id, text(a.result)])).toEqual(
      Array.from({ length: 10 }, (_, i) => ['same', i % 2 === 0 ? `Echo: m${i}` : `Echo: w${i}`]),
    );
  });

  it('forwards a permitted call to the upstream over stdio and over HTTP and returns its result', async () => {
    const viaStdio = await mcpBot.callTool({ name: 'ev.echo', arguments: { message: 'hello stdio' } });
    expect(viaStdio.isError).toBeFalsy();
    expect(text(viaStdio)).toBe('Echo: hello stdio');
    const viaHttp = await webBot.callTool({ name: 'web.echo', arguments: { message: 'hello http' } });
    expect(text(viaHttp)).toBe('Echo: hello http');
    const decisionId = (viaHttp._meta as Record<string, string>)['fulcrum/decisionId'];
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?agent=web-bot' })).json().items;
    expect(audit.find((e: { id: string }) => e.id === decisionId)).toMatchObject({
      kind: 'decision',
      decision: 'allow',
      target: 'web.echo',
      arguments: { message: 'hello http' },
    });
  });

  it('refuses a call of a Tool the agent is not shown as an unknown tool, and audits it naming the policy', async () => {
    // Neither is in the agent's tools/list, nor callable with any arguments (test/security/hidden-tools.test.ts).
    await expect(mcpBot.callTool({ name: 'ev.get-env', arguments: {} })).rejects.toThrow(/unknown tool "ev.get-env"/);
    await expect(webBot.callTool({ name: 'ev.echo', arguments: { message: 'x' } })).rejects.toThrow(/unknown tool "ev.echo"/);
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?decision=deny' })).json().items;
    expect(audit.map((e: { agent: string; target: string }) => `${e.agent} ${e.target}`)).toEqual(
      expect.arrayContaining(['mcp-bot ev.get-env', 'web-bot ev.echo']),
    );
    const env = audit.find((e: { target: string }) => e.target === 'ev.get-env');
    expect(JSON.stringify(env)).toContain('no-env');
  });

  it('refuses arguments that break the tool schema, naming the argument', async () => {
    const r = await mcpBot.callTool({ name: 'ev.get-sum', arguments: { a: 'one', b: 2 } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/invalid-arguments.*\/a must be integer/);
  });

  it('answers an unknown tool with a protocol error', async () => {
    await expect(mcpBot.callTool({ name: 'ev.no-such-tool', arguments: {} })).rejects.toThrow(/unknown tool "ev.no-such-tool"/);
  });

  it("passes the upstream's progress on to an agent that asks for it, as the call runs", async () => {
    const seen: Array<{ progress: number; total?: number }> = [];
    const r = await mcpBot.callTool(
      { name: 'ev.trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
      undefined,
      {
        onprogress: (p) => seen.push(p),
      },
    );
    expect(text(r)).toContain('Long running operation completed');
    expect(seen).toEqual([
      { progress: 1, total: 3 },
      { progress: 2, total: 3 },
      { progress: 3, total: 3 },
    ]);
  });

  /** The approvals waiting for a person, once there is one (a call just made opens it). */
  const pendingApprovals = async () => {
    let pending: Array<{ id: string; tool: string; arguments: unknown }> = [];
    await until(async () => {
      pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items;
      return pending.length > 0;
    }, 'an approval to be opened');
    return pending;
  };

  it('holds an approval-gated call until a person approves it through the API, then completes it', async () => {
    const waiting: Array<{ progress: number; message?: string }> = [];
    const calling = mcpBot.callTool({ name: 'ev.get-sum', arguments: { a: 500, b: 1 } }, undefined, {
      onprogress: (p) => waiting.push(p),
    });
    const pending = await pendingApprovals();
    expect(pending[0]).toMatchObject({ tool: 'ev.get-sum', arguments: { a: 500, b: 1 } });
    const approved = await t.request({ method: 'POST', url: `/v1/approvals/${pending[0]?.id}/approve`, payload: {} });
    expect(approved.statusCode).toBe(200);
    const r = await calling;
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain('501');
    // An agent that asked for progress was told what it waited for.
    expect(waiting[0]).toEqual({ progress: 0, message: `waiting for a person to approve ${pending[0]?.id} (up to 20 s)` });
  });

  it('fails an approval-gated call a person denies, saying who denied it', async () => {
    const calling = mcpBot.callTool({ name: 'web.get-sum', arguments: { a: 900, b: 1 } });
    const pending = await pendingApprovals();
    await t.request({ method: 'POST', url: `/v1/approvals/${pending[0]?.id}/deny`, payload: { comment: 'too much' } });
    const r = await calling;
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/was denied by admin: too much/);
  });

  it('tells a call whose approval a suspension revoked while it waited that the agent is suspended', async () => {
    const calling = mcpBot.callTool({ name: 'web.get-sum', arguments: { a: 950, b: 1 } });
    const pending = await pendingApprovals();
    const id = pending[0]?.id as string;
    const control = async (verb: 'suspend' | 'resume') =>
      expect(
        (await t.request({ method: 'POST', url: `/v1/agents/mcp-bot/${verb}`, payload: { reason: 'drill' } })).statusCode,
      ).toBe(200);
    await control('suspend');
    try {
      const r = await calling;
      expect(r.isError).toBe(true);
      expect(text(r)).toBe(
        `approval ${id} was revoked (agent suspended) before the call could use it: agent mcp-bot is suspended (builtin/agent-status, the kill switch); once a person resumes it, call the tool again to ask a person again.`,
      );
    } finally {
      await control('resume');
    }
  });

  it('tells a call whose approval was revoked while it waited, by its agent being retired in the registry, that the agent is retired', async () => {
    const calling = mcpBot.callTool({ name: 'web.get-sum', arguments: { a: 960, b: 1 } });
    const pending = await pendingApprovals();
    const id = pending[0]?.id as string;
    const { spec } = (await t.request({ method: 'GET', url: '/v1/agents/mcp-bot' })).json();
    const put = async (status: string) =>
      expect(
        (await t.request({ method: 'PUT', url: '/v1/agents/mcp-bot', payload: { spec: { ...spec, status } } })).statusCode,
      ).toBe(200);
    await put('retired');
    try {
      const r = await calling;
      expect(r.isError).toBe(true);
      // Before, the call waited out its bound and was told the approval was still pending.
      expect(text(r)).toBe(
        `approval ${id} was revoked (agent retired (its descriptor's status)) before the call could use it: agent mcp-bot is retired (builtin/agent-status): it may do nothing.`,
      );
    } finally {
      await put('active');
    }
  });

  /** evh's wait for a person, once the guard's snapshot follows the registry. */
  const setWait = async (approvalWaitSeconds: number) => {
    const put = await t.request({
      method: 'PUT',
      url: '/v1/mcp-servers/evh',
      payload: {
        apiVersion: 'fulcrum/v1',
        kind: 'McpServer',
        metadata: { name: 'evh' },
        spec: { transport: 'http', url: upstream.url, toolPrefix: 'web', approvalWaitSeconds },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    await until(
      async () => (await t.app.guard.registry()).get('McpServer', 'evh')?.spec.approvalWaitSeconds === approvalWaitSeconds,
      "the guard to see evh's new wait",
    );
  };

  it('bounds the wait for a person; a plain retry joins the same approval and goes through once it is granted', async () => {
    await setWait(1);
    const args = { a: 300, b: 3 };
    const waited = await mcpBot.callTool({ name: 'web_get-sum', arguments: args });
    expect(waited.isError).toBe(true);
    const id = /approval (apr_\S+) is still pending after waiting 1 s/.exec(text(waited))?.[1];
    expect(id, text(waited)).toBeDefined();
    expect(text(waited)).toContain('Call this tool again with the same arguments');
    // The model retries as it is told, with nothing extra: the same approval, not a second one.
    const retried = await mcpBot.callTool({ name: 'web_get-sum', arguments: args });
    expect(text(retried)).toContain(`approval ${id} is still pending`);
    const queue = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items as Array<{
      id: string;
      arguments: unknown;
    }>;
    expect(queue.filter((a) => JSON.stringify(a.arguments) === JSON.stringify(args)).map((a) => a.id)).toEqual([id]);
    expect((await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: {} })).statusCode).toBe(200);
    const done = await mcpBot.callTool({ name: 'web_get-sum', arguments: args });
    expect(done.isError, text(done)).toBeFalsy();
    expect(text(done)).toContain('303');
    // Once: the approval is spent, presented explicitly or not.
    const again = await mcpBot.callTool({ name: 'web.get-sum', arguments: args, _meta: { 'fulcrum/approvalId': id } });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(/approval .* was already used/);
  });

  it('leaves an approval to the retry when the call that waited on it was abandoned by its client', async () => {
    await setWait(30);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/mcp-bot/keys' })).json().key;
    const args = { a: 800, b: 8 };
    const call = (signal?: AbortSignal) =>
      post(url, key, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'web_get-sum', arguments: args } }, signal);
    const pending = async () =>
      (
        (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items as Array<{
          id: string;
          arguments: unknown;
        }>
      ).filter((a) => JSON.stringify(a.arguments) === JSON.stringify(args));
    // The first call waits on a person; its client gives up (a timeout, a closed tab).
    const abandoned = new AbortController();
    const first = call(abandoned.signal).catch((e) => e);
    await until(async () => (await pending()).length === 1, 'the approval to open');
    const id = (await pending())[0]?.id as string;
    abandoned.abort();
    await first;
    // The retry joins the same approval, and is the one it lets through.
    const retry = call();
    await until(async () => {
      const audit = (await t.request({ method: 'GET', url: '/v1/audit?agent=mcp-bot&limit=20' })).json().items as Array<{
        approvalId: string | null;
      }>;
      return audit.filter((e) => e.approvalId === id).length === 2;
    }, 'the retry to wait on the same approval');
    expect((await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: {} })).statusCode).toBe(200);
    const answer = (await (await retry).json()) as { result: { isError?: boolean; content: Array<{ text: string }> } };
    expect(answer.result.isError, JSON.stringify(answer)).toBeFalsy();
    expect(answer.result.content[0]?.text).toContain('808');
    await setWait(1);
  });

  it('lets one of two identical calls waiting on an approval through, and tells the other what happened', async () => {
    await setWait(30);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/mcp-bot/keys' })).json().key;
    const args = { a: 900, b: 9 };
    const call = (id: number) =>
      post(url, key, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'web_get-sum', arguments: args } }).then(
        async (r) => ((await r.json()) as { result: CallToolResult }).result,
      );
    const calls = [call(1), call(2)];
    let id = '';
    await until(async () => {
      const audit = (await t.request({ method: 'GET', url: '/v1/audit?agent=mcp-bot&limit=20' })).json().items as Array<{
        approvalId: string | null;
        arguments: unknown;
      }>;
      const waiting = audit.filter((e) => e.approvalId && JSON.stringify(e.arguments) === JSON.stringify(args));
      id = waiting[0]?.approvalId ?? '';
      return waiting.length === 2;
    }, 'both calls to wait on one approval');
    expect((await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: {} })).statusCode).toBe(200);
    const results = await Promise.all(calls);
    const ran = results.filter((r) => !r.isError);
    expect(ran.map(text)).toEqual(['The sum of 900 and 9 is 909.']);
    const other = results.find((r) => r.isError) as CallToolResult;
    // Not a bare "already used": the model learns the call it made twice ran once, and how to ask again.
    expect(text(other)).toMatch(
      new RegExp(
        `^approval ${id} was spent by another call with the same arguments \\(decision dec_\\S+\\), which went through; this call was not made\\. If it is wanted too, call the tool again: that asks a person again\\.$`,
      ),
    );
    await setWait(1);
  });

  it('still honours an approval presented in _meta, and the dotted registry name', async () => {
    const args = { a: 400, b: 4 };
    const waited = await mcpBot.callTool({ name: 'web.get-sum', arguments: args });
    const id = /approval (apr_\S+) is still pending/.exec(text(waited))?.[1];
    expect(id, text(waited)).toBeDefined();
    expect((await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: {} })).statusCode).toBe(200);
    const done = await mcpBot.callTool({ name: 'web.get-sum', arguments: args, _meta: { 'fulcrum/approvalId': id } });
    expect(done.isError, text(done)).toBeFalsy();
    expect(text(done)).toContain('404');
    const audit = (await t.request({ method: 'GET', url: `/v1/audit?agent=mcp-bot&limit=5` })).json().items as Array<{
      target: string;
    }>;
    expect(audit.map((e) => e.target)).toContain('web.get-sum');
  });

  it('has a call naming the pending approval of this same call in _meta wait on it, as a plain retry does', async () => {
    await setWait(1);
    const args = { a: 600, b: 6 };
    const waited = await mcpBot.callTool({ name: 'web_get-sum', arguments: args });
    const id = /approval (apr_\S+) is still pending/.exec(text(waited))?.[1] as string;
    expect(id, text(waited)).toBeDefined();
    await setWait(30);
    // Another call's approval stays refused at once: other arguments, or another tool.
    const meta = { 'fulcrum/approvalId': id };
    const other = await mcpBot.callTool({ name: 'web_get-sum', arguments: { a: 601, b: 6 }, _meta: meta });
    expect(other.isError).toBe(true);
    expect(text(other)).toBe(`approval ${id} was granted for other arguments`);
    const otherTool = await mcpBot.callTool({ name: 'ev_get-sum', arguments: args, _meta: meta });
    expect(text(otherTool)).toBe(`approval ${id} was granted for web.get-sum, not ev.get-sum`);
    // The same call, naming it: it waits for the person (before, "is still pending" at once).
    let settled = false;
    const joined = mcpBot.callTool({ name: 'web.get-sum', arguments: args, _meta: meta }).finally(() => {
      settled = true;
    });
    const waitingOn = async () =>
      (
        (await t.request({ method: 'GET', url: '/v1/audit?agent=mcp-bot&limit=50' })).json().items as Array<{
          approvalId: string | null;
          decision: string | null;
        }>
      ).filter((e) => e.approvalId === id && e.decision === 'approval_required').length;
    await until(async () => settled || (await waitingOn()) === 2, 'the named call to wait on the approval');
    expect(settled, settled ? text(await joined) : '').toBe(false);
    expect((await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: {} })).statusCode).toBe(200);
    const done = await joined;
    expect(done.isError, text(done)).toBeFalsy();
    expect(text(done)).toContain('606');
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status).toBe('used');
    await setWait(1);
  });

  it('refuses a plain retry of a denied call, saying so and how to ask again', async () => {
    const args = { a: 700, b: 7 };
    const waited = await mcpBot.callTool({ name: 'web_get-sum', arguments: args });
    const id = /approval (apr_\S+) is still pending/.exec(text(waited))?.[1];
    expect(id, text(waited)).toBeDefined();
    await t.request({ method: 'POST', url: `/v1/approvals/${id}/deny`, payload: { comment: 'not today' } });
    const retried = await mcpBot.callTool({ name: 'web_get-sum', arguments: args });
    expect(retried.isError).toBe(true);
    expect(text(retried)).toMatch(
      new RegExp(
        `approval ${id} for this call was denied by admin \\(not today\\); the same call is refused until .*calling it again asks again`,
      ),
    );
    const pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items as Array<{
      arguments: unknown;
    }>;
    expect(pending.filter((a) => JSON.stringify(a.arguments) === JSON.stringify(args))).toEqual([]);
  });

  it('records every forwarded call as evidence for the agent (an execute_tool span with its duration)', async () => {
    await t.app.mcp.close(); // flushes the buffered spans (the pool reconnects on the next call)
    const { db } = t.app.database;
    const spans = await db.selectFrom('spans').selectAll().where('operation', '=', 'execute_tool').execute();
    const tools = spans.map((s) => `${s.agent} ${s.tool} ${s.error_type ?? 'ok'}`);
    expect(tools).toEqual(expect.arrayContaining(['mcp-bot ev.echo ok', 'web-bot web.echo ok', 'mcp-bot ev.get-sum ok']));
    expect(spans.every((s) => s.duration_ms >= 0)).toBe(true);
    const rollup = await db.selectFrom('evidence_daily').select(['agent', 'tool_calls']).where('agent', '=', 'mcp-bot').execute();
    expect(rollup.reduce((n, r) => n + r.tool_calls, 0)).toBeGreaterThanOrEqual(2);
  });

  it("records a call that carries W3C trace context in the caller's trace", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const r = await mcpBot.callTool({ name: 'ev_echo', arguments: { message: 'traced' }, _meta: { traceparent } });
    expect(r.isError).toBeFalsy();
    await t.app.mcp.close(); // flushes the buffered spans (the pool reconnects on the next call)
    const span = await t.app.database.db
      .selectFrom('spans')
      .select(['trace_id', 'parent_span_id', 'tool'])
      .where('trace_id', '=', '4bf92f3577b34da6a3ce929d0e0e4736')
      .executeTakeFirst();
    expect(span).toEqual({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', parent_span_id: '00f067aa0ba902b7', tool: 'ev.echo' });
  });

  it('names what is wrong with bad input: not JSON-RPC, a wrong Accept header, a malformed approval id', async () => {
    const key = (await t.request({ method: 'POST', url: '/v1/agents/mcp-bot/keys' })).json().key;
    const send = (body: string, accept = 'application/json, text/event-stream', more: Record<string, string> = {}) =>
      fetch(`${url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept,
          authorization: `Bearer ${key}`,
          'mcp-protocol-version': '2025-06-18',
          ...more,
        },
        body,
      });
    // 2026-07-28's routing headers, kept while downgrading the version, must still match the body.
    const call = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'ev_echo', arguments: { message: 'x' } },
    });
    for (const more of <Array<Record<string, string>>>[
      { 'mcp-method': 'tools/list' },
      { 'mcp-method': 'tools/call', 'mcp-name': 'harmless' },
      { 'mcp-method': 'tools/call' },
    ]) {
      const res = await send(call, undefined, more);
      expect(res.status, JSON.stringify(more)).toBe(400);
      expect(await res.text()).toMatch(/Mcp-(Method|Name) (.* does not match|is missing)/);
    }
    const agreeing = await send(call, undefined, { 'mcp-method': 'tools/call', 'mcp-name': 'ev_echo' });
    expect(agreeing.status).toBe(200);
    const notRpc = await send(JSON.stringify({ hello: 'world' }));
    expect(notRpc.status).toBe(400);
    expect(await notRpc.text()).toMatch(/Invalid Request|Parse error/);
    const notJson = await send('{"jsonrpc": "2.0",');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);
    const accept = await send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), 'text/html');
    expect(accept.status).toBe(406);
    expect(await accept.text()).toMatch(/Accept/);
    await expect(
      mcpBot.callTool({ name: 'ev.echo', arguments: { message: 'x' }, _meta: { 'fulcrum/approvalId': 42 } }),
    ).rejects.toThrow(/params._meta\["fulcrum\/approvalId"\] must be a string/);
    // Not an id of ours (a NUL in it failed every agent's decisions in the same commit on PostgreSQL).
    await expect(
      mcpBot.callTool({ name: 'ev.echo', arguments: { message: 'x' }, _meta: { 'fulcrum/approvalId': 'apr_\u0000x' } }),
    ).rejects.toThrow(/params._meta\["fulcrum\/approvalId"\] is not an approval id/);
    const get = await fetch(`${url}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('documents /mcp in the OpenAPI document, tagged mcp', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json', token: null })).json();
    expect(doc.paths['/mcp'].post).toMatchObject({ tags: ['mcp'], summary: 'MCP gateway (Streamable HTTP)' });
    expect(doc.paths['/mcp'].post.description).toContain('tools/call');
    expect(doc.paths['/v1/mcp-servers/{name}/tools'].get.tags).toEqual(['mcp']);
  });

  it('rejects a missing or unknown key before any MCP message is read', async () => {
    const res = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: 'Bearer fk_nope',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/unknown or revoked agent key/);
  });
});
