// A probe of tools an agent may not use: calling a Tool it is not shown, and may not call with any
// arguments, answers exactly as a name nothing serves does (`unknown tool`), on both protocol
// versions, while the decision is still made and audited, naming the policies. A Tool the agent may
// call (an approval-gated one, one a permit allows only for some arguments) is never reported unknown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenOutright } from '../../src/mcp/visibility.js';
import { gatewayBundle, post } from '../mcp/fixture.js';
import { operatorAllows, type Peer, startEverythingHttp } from '../mcp/peers.js';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MODERN = '2026-07-28';
// web-bot may echo on ev only "hi": ev_echo is not in its tools/list (asked with no arguments), yet callable.
const EXTRA = `---
apiVersion: fulcrum/v1
kind: Policy
metadata: { name: web-bot-says-hi }
spec:
  description: web-bot may greet through ev
  cedar: |
    permit (principal == Agent::"web-bot", action == Action::"ev.echo", resource) when { context.arguments.message == "hi" };
`;

describe.each(ENGINES)('tools an agent may not use (%s)', (engine) => {
  let t: TestServer;
  let upstream: Peer;
  let url: string;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    upstream = await startEverythingHttp();
    t = await startTestServer(engine, operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: gatewayBundle(upstream.url, EXTRA) } });
    expect(applied.statusCode, applied.body).toBe(200);
    for (const agent of ['mcp-bot', 'web-bot'])
      keys[agent] = (await t.request({ method: 'POST', url: `/v1/agents/${agent}/keys` })).json().key;
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
  });

  /** tools/call as a 2025-11-25 or a 2026-07-28 client sends it: the JSON-RPC answer. */
  const call = async (agent: string, name: string, args: Record<string, unknown>, version = '2025-11-25') => {
    const modern = version === MODERN;
    const res = modern
      ? await fetch(`${url}/mcp`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            authorization: `Bearer ${keys[agent]}`,
            'mcp-protocol-version': MODERN,
            'mcp-method': 'tools/call',
            'mcp-name': name,
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'tools/call',
            params: {
              name,
              arguments: args,
              _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} },
            },
          }),
        })
      : await post(url, keys[agent] as string, {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name, arguments: args },
        });
    return {
      status: res.status,
      body: (await res.json()) as { result?: { isError?: boolean; content: Array<{ text: string }> }; error?: unknown },
    };
  };
  const denials = async (agent: string, target: string) =>
    (await t.request({ method: 'GET', url: `/v1/audit?agent=${agent}&decision=deny` }))
      .json()
      .items.filter((e: { target: string }) => e.target === target);

  it.each([
    ['forbidden outright', 'ev_get-env', 'no-env'],
    ['not among its tools', 'ev_get-tiny-image', 'default-deny'],
  ])('answers a Tool %s as it answers a name nothing serves, and audits the decision', async (_why, name, policy) => {
    const lookalike = `${name.slice(0, -1)}Z`; // served by nothing
    for (const version of ['2025-11-25', MODERN]) {
      const before = (await denials('mcp-bot', name.replace('_', '.'))).length;
      const hidden = await call('mcp-bot', name, {}, version);
      const unknown = await call('mcp-bot', lookalike, {}, version);
      expect(hidden.body.error, version).toMatchObject({ code: -32602, message: `unknown tool "${name}"` });
      expect({ status: hidden.status, body: JSON.stringify(hidden.body).replaceAll(name, '?') }).toEqual({
        status: unknown.status,
        body: JSON.stringify(unknown.body).replaceAll(lookalike, '?'),
      });
      // Decided all the same: the attempt is in the audit log, with the policies that refused it.
      const after = await denials('mcp-bot', name.replace('_', '.'));
      expect(after.length, version).toBe(before + 1);
      expect(JSON.stringify(after[0])).toContain(policy);
    }
  });

  it('tells a suspended agent of the suspension, the same for a Tool it was shown, one it is not, and an unknown name', async () => {
    const suspend = (verb: 'suspend' | 'resume') =>
      t.request({ method: 'POST', url: `/v1/agents/mcp-bot/${verb}`, payload: { reason: 'probe review' } });
    expect((await suspend('suspend')).statusCode).toBe(200);
    try {
      for (const version of ['2025-11-25', MODERN]) {
        const before = (await denials('mcp-bot', 'ev.get-env')).length;
        // ev_echo is shown to it when active; ev_get-env never is; ev_get-envZ is served by nothing.
        const answers = [];
        for (const name of ['ev_echo', 'ev_get-env', 'ev_get-envZ']) answers.push(await call('mcp-bot', name, {}, version));
        expect(answers[0]?.status, version).toBe(200);
        expect(answers[0]?.body.result, version).toMatchObject({
          isError: true,
          content: [
            {
              text: 'Fulcrum refused the call: agent mcp-bot is suspended (builtin/agent-status, the kill switch); a person must resume it',
            },
          ],
        });
        expect(answers[1], version).toEqual(answers[0]);
        expect(answers[2], version).toEqual(answers[0]);
        // The known Tools' calls were decided and audited all the same.
        expect((await denials('mcp-bot', 'ev.get-env')).length, version).toBe(before + 1);
      }
    } finally {
      expect((await suspend('resume')).statusCode).toBe(200);
    }
    expect((await call('mcp-bot', 'ev_echo', { message: 'hi' })).body.result?.content[0]?.text).toBe('Echo: hi');
  });

  it('never reports unknown a Tool the agent may call: approval-gated, or allowed for some arguments only', async () => {
    const s = await t.app.guard.snapshot();
    // Asked twice at once, worked out once (in cedar-wasm's worker: src/policy/partial.ts).
    expect(hiddenOutright(s, 'web-bot', 'ev.get-sum')).toBe(hiddenOutright(s, 'web-bot', 'ev.get-sum'));
    expect(await hiddenOutright(s, 'mcp-bot', 'ev.get-sum')).toBe(false); // shown: large sums need a person
    expect(await hiddenOutright(s, 'web-bot', 'ev.echo')).toBe(false); // not shown, but "hi" is allowed
    expect(await hiddenOutright(s, 'web-bot', 'ev.get-sum')).toBe(true);
    for (const version of ['2025-11-25', MODERN]) {
      // Shown and refused for these arguments: the refusal names the Tool and why.
      const bad = await call('mcp-bot', 'ev_get-sum', { a: 'one', b: 2 }, version);
      expect(bad.body.result?.isError, version).toBe(true);
      expect(bad.body.result?.content[0]?.text).toMatch(/Fulcrum refused ev\.get-sum: .*invalid-arguments/);
      // Not shown, refused for these arguments, allowed for others: refused by name, never "unknown".
      const other = await call('web-bot', 'ev_echo', { message: 'bye' }, version);
      expect(other.body.result?.content[0]?.text, version).toMatch(/^Fulcrum refused ev\.echo: /);
      const hi = await call('web-bot', 'ev_echo', { message: 'hi' }, version);
      expect(hi.body.result?.content[0]?.text, version).toBe('Echo: hi');
    }
  });

  // Last: web-bot stays retired.
  it('tells a retired agent it is retired, the same whatever it names', async () => {
    const bot = (await t.request({ method: 'GET', url: '/v1/agents/web-bot' })).json();
    const put = await t.request({
      method: 'PUT',
      url: '/v1/agents/web-bot',
      payload: { spec: { ...bot.spec, status: 'retired' } },
    });
    expect(put.statusCode, put.body).toBe(200);
    for (const version of ['2025-11-25', MODERN]) {
      const answers = [];
      for (const name of ['ev_echo', 'ev_get-sum', 'ev_get-sumZ'])
        answers.push(await call('web-bot', name, { message: 'hi' }, version));
      expect(answers[0]?.body.result?.content[0]?.text, version).toBe(
        'Fulcrum refused the call: agent web-bot is retired (builtin/agent-status): it may do nothing',
      );
      expect(answers[1], version).toEqual(answers[0]);
      expect(answers[2], version).toEqual(answers[0]);
    }
  });
});
