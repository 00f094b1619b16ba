// A key revoked while a request made with it is under way, on the same node: the decision is checked
// against the key table it is made with, not only the one the request was authenticated with. A call
// held on a person's approval when its key is revoked is refused once approved (nothing forwarded), and
// a decision made after the node reloaded (a slow body, a wait) is refused even though the registry
// revision does not move again before its commit.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../src/errors.js';
import { gatewayBundle } from '../mcp/fixture.js';
import { operatorAllows, type Peer, startEverythingHttp } from '../mcp/peers.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('a key revoked mid-request (sqlite)', () => {
  let t: TestServer;
  let upstream: Peer;
  let url: string;

  beforeAll(async () => {
    upstream = await startEverythingHttp();
    t = await startTestServer('sqlite', operatorAllows());
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: gatewayBundle(upstream.url) } });
    expect(applied.statusCode, applied.body).toBe(200);
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
  });

  const audited = async () =>
    (await t.request({ method: 'GET', url: '/v1/audit?limit=20' })).json().items as Array<{
      kind: string;
      decision?: string;
      reasons?: Array<{ policy: string; message: string }>;
    }>;

  it('refuses a decision made with a key revoked after the request was authenticated', async () => {
    const made = (await t.request({ method: 'POST', url: '/v1/agents/mcp-bot/keys' })).json();
    const caller = await t.app.guard.authenticateAgent(made.key);
    expect(caller).toEqual({ id: 'mcp-bot', keyId: made.id });
    expect((await t.request({ method: 'DELETE', url: `/v1/agents/mcp-bot/keys/${made.id}` })).statusCode).toBe(204);
    const decided = await t.app.guard
      .decide(caller as { id: string; keyId: string }, { action: 'tool.call', tool: 'ev.echo', arguments: { message: 'x' } })
      .catch((err: unknown) => err);
    expect(decided).toBeInstanceOf(UnauthenticatedError);
    expect((decided as Error).message).toBe('unknown or revoked agent key');
    const [last] = (await audited()).filter((e) => e.kind === 'decision');
    expect(last).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: 'credential-revoked', message: `agent key ${made.id} was revoked before this decision was made` }],
    });
    // The refusal keeps the call's arguments with their hash, as every tool call's entry does: the
    // audit log verifies (a refusal without it read as arguments changed after the fact).
    const verified = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
  });

  it('refuses a call held on an approval when its key is revoked meanwhile, and forwards nothing', async () => {
    const made = (await t.request({ method: 'POST', url: '/v1/agents/mcp-bot/keys' })).json();
    const client = new Client({ name: 'revoked-while-waiting', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${made.key}` } },
      }),
    );
    const calling = client.callTool({ name: 'ev.get-sum', arguments: { a: 500, b: 1 } }).catch((err: Error) => err);
    let pending: Array<{ id: string }> = [];
    await expect
      .poll(async () => {
        pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items;
        return pending.length;
      })
      .toBe(1);
    expect((await t.request({ method: 'DELETE', url: `/v1/agents/mcp-bot/keys/${made.id}` })).statusCode).toBe(204);
    const approved = await t.request({ method: 'POST', url: `/v1/approvals/${pending[0]?.id}/approve`, payload: {} });
    expect(approved.statusCode, approved.body).toBe(200);
    const result = await calling;
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/unknown or revoked agent key/);
    // Not forwarded: the approval was never used.
    const approval = (await t.request({ method: 'GET', url: `/v1/approvals/${pending[0]?.id}` })).json();
    expect(approval).toMatchObject({ status: 'approved', usedAt: null });
    await client.close();
  });
});
