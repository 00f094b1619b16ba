// The MCP authorization flow end to end with the official MCP client: it meets Fulcrum's 401, reads
// the protected-resource metadata it points at, gets a client-credentials token from a real OpenID
// Provider (oidc-provider) for the /mcp resource, and calls tools through the gateway. The token never
// reaches an upstream.
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayBundle } from '../mcp/fixture.js';
import { operatorAllows, type Peer, startEverythingHttp } from '../mcp/peers.js';
import { startMcpUpstream } from '../security/upstreams.js';
import { ENGINES } from '../support/databases.js';
import { type Idp, startIdp } from '../support/oidc.js';
import { freePort } from '../support/ports.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('MCP clients with OAuth access tokens (%s)', (engine) => {
  let idp: Idp;
  let t: TestServer;
  let everything: Peer;
  let recorder: Awaited<ReturnType<typeof startMcpUpstream>>;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    idp = await startIdp([
      { client_id: 'web-bot-client', client_secret: 'wb-secret', grant_types: ['client_credentials'] },
      { client_id: 'stranger-client', client_secret: 'st-secret', grant_types: ['client_credentials'] },
    ]);
    everything = await startEverythingHttp();
    recorder = await startMcpUpstream();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    t = await startTestServer(engine, {
      ...operatorAllows(),
      identity: { publicUrl: url, agentTokenIssuer: idp.issuer, sessionSeconds: 3600, jwksCooldownMs: 0 },
    });
    const extra = `---
apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: rec }
spec: { transport: http, url: ${recorder.url} }
---
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: rec.echo }
spec: { system: recorder, effect: read, dataDomains: [], arguments: { type: object } }
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: oauth-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [web.echo, rec.echo]
  oauthClientId: web-bot-client
`;
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: gatewayBundle(everything.url, extra) },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    await t.server.listen({ host: '127.0.0.1', port });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await t?.close();
    await everything?.stop();
    await recorder?.close();
    await idp?.stop();
  });

  async function connect(clientId: string, secret: string): Promise<Client> {
    const client = new Client({ name: 'oauth-agent', version: '1' });
    const authProvider = new ClientCredentialsProvider({ clientId, clientSecret: secret, expectedIssuer: idp.issuer });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { authProvider }));
    clients.push(client);
    return client;
  }

  it('discovers the authorization server from the 401, gets a token for /mcp and calls tools', async () => {
    const bot = await connect('web-bot-client', 'wb-secret');
    // Its tools only (as the gateway names them to clients: the registry's name, maybe with _ for .).
    const names = (await bot.listTools()).tools.map((x) => x.name).sort();
    expect(names.map((n) => n.replace('_', '.'))).toEqual(['rec.echo', 'web.echo']);
    const r = (await bot.callTool({ name: names[1] as string, arguments: { message: 'hello over oauth' } })) as CallToolResult;
    expect((r.content[0] as { text: string }).text).toContain('hello over oauth');
    // Recorded as the agent the client belongs to.
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?agent=oauth-bot&limit=5' })).json().items;
    expect(audit.some((e: { target: string }) => e.target === 'web.echo')).toBe(true);
  });

  it('never forwards the access token to an upstream', async () => {
    const bot = await connect('web-bot-client', 'wb-secret');
    const rec = (await bot.listTools()).tools.find((x) => x.name.startsWith('rec'));
    const before = recorder.headers.length;
    await bot.callTool({ name: rec?.name as string, arguments: {} });
    expect(recorder.headers.length).toBeGreaterThan(before);
    for (const h of recorder.headers) {
      expect(h.authorization).toBeUndefined();
      expect(JSON.stringify(h)).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
    }
  });

  it('refuses a client no Agent names, and records it as a shadow identity', async () => {
    await expect(connect('stranger-client', 'st-secret')).rejects.toThrow();
    await t.app.guard.flushShadows();
    const shadows = (await t.request({ method: 'GET', url: '/v1/shadow-agents' })).json().items;
    expect(shadows.map((s: { identity: string }) => s.identity)).toContain('oauth:stranger-client');
  });

  it('refuses a token for the API resource on /mcp (RFC 8707 audience)', async () => {
    const token = await idp.clientToken('web-bot-client', 'wb-secret', url);
    const res = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(`resource_metadata="${url}/.well-known/oauth-protected-resource/mcp"`);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});
