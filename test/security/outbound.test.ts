// Outbound HTTP on a registry writer's say-so: internal addresses (loopback, private, link-local,
// CGNAT, metadata, and their IPv6 forms) are refused unless the operator lists the host in
// FULCRUM_OUTBOUND_ALLOW_HOSTS, on the address a name resolves to when the socket would connect;
// URLs carry no credentials; header secrets come from the operator's environment, go only to the
// origins the operator binds them to, and are never shown; what a caller is told of a failed upstream
// holds none of the upstream's bytes; and what an upstream sends is bounded.
//
// No test sends traffic beyond 127.0.0.1: names resolving to 10.0.0.1 or 169.254.169.254 come from a
// resolver injected here, and the refusal happens before a socket opens.
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { UpstreamHttpTransport } from '../../src/mcp/http-transport.js';
import { mcpSettings } from '../../src/mcp/index.js';
import { blockedRange } from '../../src/net/addresses.js';
import { createOutboundPolicy } from '../../src/net/outbound.js';
import { hideSecretsInHead, parseOrigins, secretNameProblem, secretsToHide } from '../../src/net/secrets.js';
import { closedPort } from '../mcp/peers.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { call, type Served, serve, stop } from '../support/process.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';
import { BANNER, type Flood, type Listening, startBannerServer, startFloodUpstream, startMcpUpstream } from './upstreams.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

/** A resolver for names under .invalid (which no real resolver answers), recording what it was asked. */
function resolver(names: Record<string, string>) {
  const asked: string[] = [];
  const lookup: LookupFunction = (hostname, options, callback) => {
    asked.push(hostname);
    const address = names[hostname];
    if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    const family = net.isIP(address);
    if (options.all) return callback(null, [{ address, family }]);
    callback(null, address, family);
  };
  return { lookup, asked };
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
} as const;

describe('which addresses are internal', () => {
  it('loopback, private, link-local, CGNAT, unspecified and metadata addresses, in every IPv6 form that carries them', () => {
    const internal: Record<string, string> = {
      '127.0.0.1': 'loopback',
      '127.8.9.10': 'loopback',
      '10.0.0.1': 'private',
      '172.16.5.4': 'private',
      '172.31.255.255': 'private',
      '192.168.1.1': 'private',
      '169.254.169.254': 'cloud metadata',
      '169.254.1.1': 'link-local',
      '100.64.0.1': 'shared (CGNAT)',
      '100.127.255.255': 'shared (CGNAT)',
      '100.100.100.200': 'cloud metadata',
      '0.0.0.0': 'unspecified',
      '::': 'unspecified',
      '::1': 'loopback',
      'fe80::1': 'link-local',
      'fe80::1%eth0': 'link-local',
      'fc00::1': 'private',
      'fd12:3456::1': 'private',
      'fd00:ec2::254': 'cloud metadata',
      '::ffff:127.0.0.1': 'loopback',
      '::ffff:7f00:1': 'loopback',
      '::ffff:10.0.0.1': 'private',
      '::ffff:a9fe:a9fe': 'cloud metadata',
      '0:0:0:0:0:ffff:c0a8:0101': 'private',
      '64:ff9b::a9fe:a9fe': 'cloud metadata',
      '2002:7f00:1::': 'loopback',
      '[::1]': 'loopback',
    };
    for (const [address, range] of Object.entries(internal)) expect(blockedRange(address), address).toBe(range);
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])
      expect(blockedRange(address), address).toBeUndefined();
  });

  it('FULCRUM_OUTBOUND_ALLOW_HOSTS lists hosts or host:port; anything else stops start-up, naming the entry', () => {
    const hosts = (v: string) => loadConfig({ FULCRUM_OUTBOUND_ALLOW_HOSTS: v }).outboundAllowHosts;
    expect(hosts('')).toEqual([]);
    expect(hosts(' MCP.Internal.example , 127.0.0.1:8080,[::1]:9000, fd00::7 ')).toEqual([
      { host: 'mcp.internal.example' },
      { host: '127.0.0.1', port: 8080 },
      { host: '[::1]', port: 9000 },
      { host: '[fd00::7]' },
    ]);
    for (const bad of ['http://x.example', 'x.example/mcp', 'user@x.example', 'x.example:99999', 'x.example:'])
      expect(() => hosts(bad), bad).toThrow(`FULCRUM_OUTBOUND_ALLOW_HOSTS: "${bad}" is not a host or host:port`);
  });

  it('FULCRUM_SECRET_<NAME>_ORIGINS lists origins; anything else stops start-up, naming the setting', () => {
    expect(parseOrigins(' https://MCP.crm.example.com:443/ ,http://127.0.0.1:8080', 'S')).toEqual([
      'https://mcp.crm.example.com',
      'http://127.0.0.1:8080',
    ]);
    for (const bad of [
      'mcp.crm.example.com',
      'https://x.example/mcp',
      'https://u:p@x.example',
      'ftp://x.example',
      'https://x.example?a',
    ])
      expect(() => mcpSettings({ FULCRUM_SECRET_X_ORIGINS: bad }), bad).toThrow(
        `FULCRUM_SECRET_X_ORIGINS: "${bad}" is not an origin`,
      );
    expect(mcpSettings({ FULCRUM_SECRET_X_ORIGINS: 'https://x.example' }).maxResponseBytes).toBe(16 * 1024 * 1024);
    // The binding is a setting, never a secret a descriptor may name.
    expect(secretNameProblem('FULCRUM_SECRET_X_ORIGINS')).toMatch(/not a secret/);
  });
});

describe('the outbound policy', () => {
  it('refuses literal internal addresses, localhost and credentials in URLs before any lookup; the allow-list lets a host (or host:port) through', () => {
    const none = createOutboundPolicy({ allowHosts: [] });
    for (const url of [
      'http://127.0.0.1:4100/v1/agents',
      'http://10.0.0.1/mcp',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8080/',
      'http://[::ffff:127.0.0.1]/',
      'http://0x7f.1/', // the URL parser reads it as 127.0.0.1
      'http://2130706433/',
      'http://localhost:8080/mcp',
      'http://api.localhost/',
    ])
      expect(none.refusal(new URL(url)), url).toMatch(/refused by the outbound policy: .* FULCRUM_OUTBOUND_ALLOW_HOSTS$/);
    expect(none.refusal(new URL('https://mcp.example.com/mcp'))).toBeUndefined();
    expect(none.refusal(new URL('https://user:pw@mcp.example.com/mcp'))).toMatch(/may not carry credentials/);
    expect(none.refusal(new URL('file:///etc/passwd'))).toMatch(/only http and https/);

    const some = createOutboundPolicy({ allowHosts: [{ host: '127.0.0.1', port: 8080 }, { host: 'localhost' }] });
    expect(some.refusal(new URL('http://127.0.0.1:8080/mcp'))).toBeUndefined();
    expect(some.refusal(new URL('http://127.0.0.1:8081/mcp'))).toMatch(/loopback/);
    expect(some.refusal(new URL('http://localhost:1/mcp'))).toBeUndefined();
    expect(some.refusal(new URL('http://127.0.0.2:8080/mcp'))).toMatch(/loopback/); // a host, not a range
  });

  it('checks the address a name resolves to when the socket would connect: nothing internal is connected to', async () => {
    const local = await startMcpUpstream();
    const { lookup, asked } = resolver({
      'loop.fulcrum.invalid': '127.0.0.1',
      'mapped.fulcrum.invalid': '::ffff:127.0.0.1',
      'private.fulcrum.invalid': '10.0.0.1',
      'metadata.fulcrum.invalid': '169.254.169.254',
    });
    const policy = createOutboundPolicy({ allowHosts: [], lookup });
    try {
      for (const name of Object.keys({
        'loop.fulcrum.invalid': 1,
        'mapped.fulcrum.invalid': 1,
        'private.fulcrum.invalid': 1,
        'metadata.fulcrum.invalid': 1,
      })) {
        const transport = new UpstreamHttpTransport(new URL(`http://${name}:${local.port}/mcp`), JSONRPCMessageSchema, {
          outbound: policy,
        });
        const err = await transport.send(INITIALIZE).catch((e: unknown) => e);
        expect(err, name).toMatchObject({ code: 'FULCRUM_OUTBOUND_REFUSED', message: expect.stringContaining(name) });
        await transport.close();
      }
      expect(asked).toEqual([
        'loop.fulcrum.invalid',
        'mapped.fulcrum.invalid',
        'private.fulcrum.invalid',
        'metadata.fulcrum.invalid',
      ]);
      expect(local.connections).toBe(0);

      // With the name allowed by the operator, the same upstream answers.
      const allowed = createOutboundPolicy({ allowHosts: [{ host: 'loop.fulcrum.invalid', port: local.port }], lookup });
      const transport = new UpstreamHttpTransport(
        new URL(`http://loop.fulcrum.invalid:${local.port}/mcp`),
        JSONRPCMessageSchema,
        {
          outbound: allowed,
        },
      );
      const answers: unknown[] = [];
      transport.onmessage = (m) => answers.push(m);
      await transport.send(INITIALIZE);
      expect(answers).toEqual([
        expect.objectContaining({ id: 1, result: expect.objectContaining({ serverInfo: { name: 'rec', version: '1' } }) }),
      ]);
      expect(local.connections).toBe(1);
      await transport.close();
    } finally {
      await local.close();
    }
  });
});

describe('the first part of a body, for the log', () => {
  it('hides whole secrets and drops the beginning of one the cut fell in, however long', () => {
    const secrets = secretsToHide(['Bearer crm-token-5e0d9a77']);
    expect(hideSecretsInHead('no secret here', secrets)).toBe('no secret here…');
    expect(hideSecretsInHead('denied: Bearer crm-token-5e0d9a77 and Bearer crm-tok', secrets)).toBe(
      'denied: [credential redacted] and …',
    );
    for (let n = 1; n < 'crm-token-5e0d9a77'.length; n++)
      expect(hideSecretsInHead(`denied ${'crm-token-5e0d9a77'.slice(0, n)}`, secrets), String(n)).toBe('denied …');
    // A last character that only looks like a secret's first is the secret's beginning too: dropped.
    expect(hideSecretsInHead('x=c', secrets)).toBe('x=…');
  });
});

describe('an upstream echoing the credential Fulcrum sent it', () => {
  it('never hands it on: hidden in JSON answers (escaped or not, in strings and keys), SSE events and error bodies', async () => {
    const token = 'crm-token-5e0d9a77';
    const password = 'p@ss/word+7c1';
    const escaped = [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        const m = JSON.parse(body) as { id: number; method: string };
        const auth = String(req.headers.authorization);
        if (m.method === 'fail') return void res.writeHead(500, { 'content-type': 'text/plain' }).end(`denied for ${auth}`);
        if (m.method === 'sse')
          return void res
            .writeHead(200, { 'content-type': 'text/event-stream' })
            .end(
              `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: auth }] } })}\n\n`,
            );
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            `{"jsonrpc":"2.0","id":${m.id},"result":{"text":"${escaped}","${token}":[["deep ${token}"]],"login":"user ${password}","url":"?pw=${encodeURIComponent(password)}"}}`,
          );
      });
    });
    const local = await new Promise<http.Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
    const port = (local.address() as net.AddressInfo).port;
    const transport = new UpstreamHttpTransport(new URL(`http://127.0.0.1:${port}/mcp`), JSONRPCMessageSchema, {
      outbound: createOutboundPolicy({ allowHosts: [{ host: '127.0.0.1' }] }),
      headers: {
        Authorization: `Bearer ${token}`,
        'X-Short': 'eu-1',
        'X-Basic': `Basic ${Buffer.from(`user:${password}`).toString('base64')}`,
      },
    });
    try {
      const answers: unknown[] = [];
      transport.onmessage = (m) => answers.push(m);
      await transport.send({ jsonrpc: '2.0', id: 1, method: 'json' });
      await transport.send({ jsonrpc: '2.0', id: 2, method: 'sse' });
      await expect.poll(() => answers.length).toBe(2);
      expect(answers).toEqual([
        {
          jsonrpc: '2.0',
          id: 1,
          result: {
            text: '[credential redacted]',
            '[credential redacted]': [['deep [credential redacted]']],
            // A Basic credential's password, as decoded and as it stands in a URL.
            login: 'user [credential redacted]',
            url: '?pw=[credential redacted]',
          },
        },
        // The whole header value is hidden as one, not "Bearer " and then the token.
        { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: '[credential redacted]' }] } },
      ]);
      const failed = await transport.send({ jsonrpc: '2.0', id: 3, method: 'fail' }).catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: 500, body: 'denied for [credential redacted]' });
      expect(JSON.stringify(answers)).not.toContain(token);
    } finally {
      await transport.close();
      local.close();
    }
  });
});

describe.each(ENGINES)('McpServer URLs and headers through Fulcrum (%s)', (engine) => {
  let t: TestServer;
  let viewer: string;
  const { lookup, asked } = resolver({
    'loop.fulcrum.invalid': '127.0.0.1',
    'private.fulcrum.invalid': '10.0.0.1',
    'metadata.fulcrum.invalid': '169.254.169.254',
  });
  const peers: Listening[] = [];
  const logged: string[] = [];

  const put = (name: string, spec: unknown, token?: string) =>
    t.request({
      method: 'PUT',
      url: `/v1/mcp-servers/${name}`,
      payload: { apiVersion: 'fulcrum/v1', kind: 'McpServer', metadata: { name }, spec },
      ...(token ? { token } : {}),
    });
  const discover = (name: string) => t.request({ method: 'GET', url: `/v1/mcp-servers/${name}/tools`, token: viewer });

  beforeAll(async () => {
    // The operator allows 127.0.0.1 (by that name), and nothing else internal.
    t = await startTestServer(engine, { outboundAllowHosts: [{ host: '127.0.0.1' }], outboundLookup: lookup });
    t.app.mcp.logUpstreamsTo((entry, message) => logged.push(`${message}: ${entry.detail}`));
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    viewer = (await t.request({ method: 'POST', url: '/v1/people/vic.viewer/tokens' })).json().token;
  });
  afterAll(async () => {
    await t?.close();
    for (const p of peers) await p.close();
  });

  it('refuses at apply a URL with credentials, or one naming an internal address the operator did not allow (422 naming the setting)', async () => {
    const credentials = await put('creds', { transport: 'http', url: 'https://svc:hunter2@mcp.example.com/mcp' });
    expect(credentials.statusCode).toBe(422);
    expect(credentials.json().error.details).toEqual([
      expect.objectContaining({ path: '/spec/url', message: expect.stringContaining('may not carry credentials') }),
    ]);
    for (const url of [
      'http://10.0.0.1/mcp',
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.2:9/mcp',
      'http://[::1]:9/mcp',
      'http://localhost:9/mcp',
    ]) {
      const res = await put('inside', { transport: 'http', url });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().error.details, url).toEqual([
        expect.objectContaining({
          path: '/spec/url',
          message: expect.stringMatching(/is a .* address; .* FULCRUM_OUTBOUND_ALLOW_HOSTS$/),
        }),
      ]);
    }
    const stored = (await t.request({ method: 'GET', url: '/v1/mcp-servers' })).json().items;
    expect(stored.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['everything']); // the fixture's
  });

  it('refuses names that resolve inside when connecting, before a socket opens; a viewer learns nothing of what is there', async () => {
    const local = await startMcpUpstream();
    peers.push(local);
    const names = {
      meta: 'http://metadata.fulcrum.invalid/latest/meta-data/',
      lan: 'http://private.fulcrum.invalid/mcp',
      loop: `http://loop.fulcrum.invalid:${local.port}/mcp`,
    };
    for (const [name, url] of Object.entries(names))
      expect((await put(name, { transport: 'http', url })).statusCode, name).toBe(201);
    for (const name of Object.keys(names)) {
      const res = await discover(name);
      expect(res.statusCode, name).toBe(503);
      expect(res.json().error.message).toBe(
        `upstream MCP server "${name}" is unreachable or is not an MCP server (the Fulcrum server log says why)`,
      );
    }
    expect(asked).toEqual(
      expect.arrayContaining(['metadata.fulcrum.invalid', 'private.fulcrum.invalid', 'loop.fulcrum.invalid']),
    );
    expect(local.connections).toBe(0);
    // The log says what happened.
    expect(logged.join('\n')).toMatch(/metadata\.fulcrum\.invalid \(169\.254\.169\.254\) is a cloud metadata address/);
  });

  it('tells a viewer the same thing whatever answered (refused, closed, an HTTP error, a web page, another protocol), with none of its bytes', async () => {
    const answering = {
      http500: await startBannerServer('http-500'),
      html: await startBannerServer('html'),
      raw: await startBannerServer('raw'),
    };
    peers.push(...Object.values(answering));
    const urls: Record<string, string> = {
      closed: `http://127.0.0.1:${await closedPort()}/mcp`,
      policy: 'http://loop.fulcrum.invalid:9/mcp',
      ...Object.fromEntries(Object.entries(answering).map(([k, p]) => [k, p.url])),
    };
    const messages = new Set<string>();
    for (const [name, url] of Object.entries(urls)) {
      expect((await put(`scan-${name}`, { transport: 'http', url })).statusCode, name).toBe(201);
      const res = await discover(`scan-${name}`);
      expect(res.statusCode, name).toBe(503);
      const body = res.body.replaceAll(`scan-${name}`, 'x');
      expect(body, name).not.toContain('SSH-2.0');
      expect(body, name).not.toContain('internal-db');
      expect(body, name).not.toMatch(/ECONNREFUSED|500|html|outbound|127\.0\.0\.1/i);
      messages.add(JSON.parse(body).error.message);
    }
    expect([...messages]).toEqual([
      'upstream MCP server "x" is unreachable or is not an MCP server (the Fulcrum server log says why)',
    ]);
    // Each one answered (a scan would have found them), and the server log kept what they said.
    for (const p of Object.values(answering)) expect(p.connections).toBeGreaterThan(0);
    expect(logged.join('\n')).toContain(BANNER);
  });

  it('sends header secrets from the operator environment to the origins they are bound to, and never shows them', async () => {
    const upstream = await startMcpUpstream();
    peers.push(upstream);
    const secret = 'Bearer upstream-token-3b9f1c';
    const spec = {
      transport: 'http',
      url: upstream.url,
      headers: { Authorization: { env: 'FULCRUM_SECRET_CRM_TOKEN' }, 'X-Tenant': { env: 'FULCRUM_SECRET_CRM_TENANT' } },
    };
    const origin = new URL(upstream.url).origin;
    const settings = {
      // http: named explicitly (a loopback test upstream); otherwise an origin is https.
      FULCRUM_SECRET_CRM_TOKEN_ORIGINS: `https://mcp.crm.example.com, ${origin}`,
      FULCRUM_SECRET_CRM_TENANT_ORIGINS: origin,
    };
    Object.assign(process.env, settings);
    try {
      expect((await put('crm', spec)).statusCode).toBe(201);
      expect((await put('crm-unset', spec)).statusCode).toBe(201);

      // Bound but not set: the caller hears that the server is not configured; the log says why.
      const missing = await discover('crm-unset');
      expect(missing.statusCode).toBe(503);
      expect(missing.json().error.message).toBe(
        'upstream MCP server "crm-unset" is not configured: header Authorization (the Fulcrum server log says why)',
      );
      expect(logged.join('\n')).toContain("the secret FULCRUM_SECRET_CRM_TOKEN is not set in Fulcrum's environment");

      process.env.FULCRUM_SECRET_CRM_TOKEN = secret;
      process.env.FULCRUM_SECRET_CRM_TENANT = 'acme-eu';
      const listed = await discover('crm');
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json().tools.map((x: { upstreamName: string }) => x.upstreamName)).toEqual(['echo']);
      expect(upstream.headers.length).toBeGreaterThan(0);
      for (const h of upstream.headers) expect(h).toMatchObject({ authorization: secret, 'x-tenant': 'acme-eu' });

      const shown = await t.request({ method: 'GET', url: '/v1/mcp-servers/crm', token: viewer });
      expect(shown.json().spec.headers).toEqual(spec.headers);
      const exported = await t.request({ method: 'GET', url: '/v1/export' });
      expect(exported.statusCode).toBe(200);
      expect(exported.body).toContain('FULCRUM_SECRET_CRM_TOKEN');
      for (const body of [shown.body, exported.body, listed.body]) {
        expect(body).not.toContain('upstream-token-3b9f1c');
        expect(body).not.toContain('acme-eu');
      }
      // The upstream echoed the credential it was sent (in its tool's description): hidden.
      expect(listed.json().tools[0].descriptor.spec.description).toBe('called with [credential redacted]');
    } finally {
      for (const k of [...Object.keys(settings), 'FULCRUM_SECRET_CRM_TOKEN', 'FULCRUM_SECRET_CRM_TENANT']) delete process.env[k];
    }
  });

  it('never sends a secret to an origin the operator did not bind it to: refused at apply, and at connect time', async () => {
    const crm = await startMcpUpstream();
    const attacker = await startMcpUpstream();
    peers.push(crm, attacker);
    const crmOrigin = new URL(crm.url).origin;
    const env = {
      FULCRUM_SECRET_CRM_TOKEN: 'Bearer crm-token-81d2',
      FULCRUM_SECRET_CRM_TOKEN_ORIGINS: crmOrigin,
      FULCRUM_SECRET_UNBOUND: 'unbound-secret-4c0e', // set, bound nowhere
    };
    Object.assign(process.env, env);
    const header = (name: string) => ({ Authorization: { env: name } });
    try {
      // A platform person points an McpServer at their own listener: refused, whether the secret is
      // set, bound elsewhere, bound nowhere, or does not exist (the same words, no name oracle).
      const platform = (await t.request({ method: 'POST', url: '/v1/people/dana.lee/tokens' })).json().token;
      const refusals = new Set<string>();
      for (const [url, name] of [
        [attacker.url, 'FULCRUM_SECRET_CRM_TOKEN'],
        [attacker.url, 'FULCRUM_SECRET_UNBOUND'],
        [attacker.url, 'FULCRUM_SECRET_GUESS'],
        [crm.url.replace('http:', 'https:'), 'FULCRUM_SECRET_CRM_TOKEN'], // the bound host, another scheme
        [crm.url, 'FULCRUM_SECRET_UNBOUND'],
      ] as const) {
        const res = await put('grab', { transport: 'http', url, headers: header(name) }, platform);
        expect(res.statusCode, `${url} ${name}`).toBe(422);
        const [detail, ...more] = res.json().error.details;
        expect(more).toEqual([]);
        expect(detail).toMatchObject({ path: '/spec/headers/Authorization/env' });
        expect(detail.message).toContain(`${name}_ORIGINS`);
        refusals.add(detail.message.replaceAll(name, 'NAME').replace(/https?:\/\/127\.0\.0\.1:\d+/, 'ORIGIN'));
      }
      expect([...refusals]).toEqual([
        'the operator has not allowed NAME to be sent to ORIGIN: NAME_ORIGINS lists the origins it may be sent to',
      ]);
      expect((await t.request({ method: 'GET', url: '/v1/mcp-servers/grab' })).statusCode).toBe(404);

      // Applied while bound, then the operator narrows the binding: checked again on connecting.
      process.env.FULCRUM_SECRET_CRM_TOKEN_ORIGINS = `${crmOrigin},${new URL(attacker.url).origin}`;
      expect(
        (await put('moved', { transport: 'http', url: attacker.url, headers: header('FULCRUM_SECRET_CRM_TOKEN') })).statusCode,
      ).toBe(201);
      process.env.FULCRUM_SECRET_CRM_TOKEN_ORIGINS = crmOrigin;
      const res = await discover('moved');
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toBe(
        'upstream MCP server "moved" is not configured: header Authorization (the Fulcrum server log says why)',
      );
      expect(attacker.connections).toBe(0);
      expect(attacker.headers).toEqual([]);

      // The bound origin gets it.
      expect(
        (await put('crm-bound', { transport: 'http', url: crm.url, headers: header('FULCRUM_SECRET_CRM_TOKEN') })).statusCode,
      ).toBe(201);
      expect((await discover('crm-bound')).statusCode).toBe(200);
      expect(crm.headers.map((h) => h.authorization)).toContain('Bearer crm-token-81d2');
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
    }
  });

  it('refuses headers that are not header names or are set by Fulcrum, and secrets outside FULCRUM_SECRET_', async () => {
    const url = 'https://mcp.example.com/mcp';
    const cases: Array<[Record<string, { env: string }>, string, RegExp]> = [
      [{ 'Bad Header': { env: 'FULCRUM_SECRET_X' } }, '/spec/headers/Bad Header', /not an HTTP header name/],
      [{ 'Content-Type': { env: 'FULCRUM_SECRET_X' } }, '/spec/headers/Content-Type', /set by Fulcrum itself/],
      [{ Authorization: { env: 'FULCRUM_ADMIN_TOKEN' } }, '/spec/headers/Authorization/env', /FULCRUM_SECRET_<NAME>/],
      [{ Authorization: { env: 'FULCRUM_DATABASE_URL' } }, '/spec/headers/Authorization/env', /FULCRUM_SECRET_<NAME>/],
      [{ Authorization: { env: 'AWS_SECRET_ACCESS_KEY' } }, '/spec/headers/Authorization/env', /FULCRUM_SECRET_<NAME>/],
    ];
    for (const [headers, at, message] of cases) {
      const res = await put('bad-headers', { transport: 'http', url, headers });
      expect(res.statusCode, at).toBe(422);
      expect(res.json().error.details, at).toEqual([
        expect.objectContaining({ path: at, message: expect.stringMatching(message) }),
      ]);
    }
    // A literal value is not a secret reference.
    const literal = await put('bad-headers', { transport: 'http', url, headers: { Authorization: 'Bearer abc' } });
    expect(literal.statusCode).toBe(422);
    const stdio = await put('bad-headers', {
      transport: 'stdio',
      command: 'npx',
      headers: { Authorization: { env: 'FULCRUM_SECRET_X' } },
    });
    expect(stdio.json().error.details).toEqual([expect.objectContaining({ path: '/spec/headers' })]);
  });
});

// A real `fulcrum serve`: an exception escaping a socket listener would end the process, which an
// in-process server would not show. The bound is lowered to 1 MiB; each upstream offers 64 MiB.
describe('what an upstream sends is bounded, and Fulcrum stays up', () => {
  const MiB = 1024 * 1024;
  let served: Served | undefined;
  let database: TestDatabase;
  const peers: Listening[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    served = await serve({
      PATH: process.env.PATH,
      FULCRUM_DATA_DIR: database.dir,
      FULCRUM_ADMIN_TOKEN: ADMIN_TOKEN,
      FULCRUM_OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      FULCRUM_MCP_MAX_RESPONSE_BYTES: String(MiB),
      // Far beyond the test's own timeout: an answer must come from the bound, not from waiting.
      FULCRUM_MCP_CALL_TIMEOUT_MS: '120000',
    });
  });
  afterAll(async () => {
    await stop(served);
    for (const p of peers) await p.close();
    await database?.drop();
  });

  const floods: Array<[Flood, string]> = [
    ['error', 'an HTTP 500 with a 64 MiB body'],
    ['json', 'a 64 MiB JSON answer'],
    ['sse-event', 'a 64 MiB SSE event'],
    ['sse-unended', 'an SSE event that never ends'],
  ];
  it.each(floods)('%s: %s fails that call with the usual error, reading about the bound', async (kind) => {
    const flood = await startFloodUpstream(kind);
    peers.push(flood);
    const url = served?.url as string;
    const name = `flood-${kind}`;
    const put = await call(url, ADMIN_TOKEN, 'PUT', `/v1/mcp-servers/${name}`, {
      apiVersion: 'fulcrum/v1',
      kind: 'McpServer',
      metadata: { name },
      spec: { transport: 'http', url: flood.url },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(201);

    const started = Date.now();
    const tools = await call(url, ADMIN_TOKEN, 'GET', `/v1/mcp-servers/${name}/tools`);
    expect(tools.status).toBe(503);
    expect(tools.json.error.message).toBe(
      kind === 'error'
        ? // One POST's HTTP error: that request failed, the connection stays (src/mcp/upstream.ts).
          `upstream MCP server "${name}" answered tools/list with HTTP 500`
        : `upstream MCP server "${name}" failed to answer tools/list (the Fulcrum server log says why)`,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    // It stopped reading near the bound (what sat in socket buffers aside), not at 64 MiB.
    expect(flood.sent).toBeLessThan(16 * MiB);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(served?.proc.exitCode).toBeNull();
  });

  it('answers as before from a well-behaved upstream, and from one whose answer is large but under the bound', async () => {
    const upstreams = { fine: await startMcpUpstream(), large: await startFloodUpstream('json', 512 * 1024) };
    peers.push(...Object.values(upstreams));
    const url = served?.url as string;
    for (const [name, upstream] of Object.entries(upstreams)) {
      const put = await call(url, ADMIN_TOKEN, 'PUT', `/v1/mcp-servers/${name}`, {
        apiVersion: 'fulcrum/v1',
        kind: 'McpServer',
        metadata: { name },
        spec: { transport: 'http', url: upstream.url },
      });
      expect(put.status, name).toBe(201);
      const tools = await call(url, ADMIN_TOKEN, 'GET', `/v1/mcp-servers/${name}/tools`);
      expect(tools.status, JSON.stringify(tools.json)).toBe(200);
    }
  });
});
