// DNS rebinding protection on /mcp: the rule itself, and the route over real HTTP on a loopback
// listener (the conformance suite's dns-rebinding-protection scenario checks the same from outside).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpSettings } from '../../src/mcp/index.js';
import { rebinding } from '../../src/mcp/route.js';
import { startMini, type TestServer } from '../support/server.js';

describe('the DNS rebinding rule', () => {
  it('on a loopback listener, serves loopback host names only', () => {
    for (const host of ['localhost', 'localhost:4100', '127.0.0.1:4100', '[::1]:4100', 'LOCALHOST'])
      expect(rebinding(host, undefined, '127.0.0.1', undefined), host).toBeUndefined();
    expect(rebinding('127.0.0.1:4100', 'http://localhost:6274', '::ffff:127.0.0.1', undefined)).toBeUndefined();
    expect(rebinding('evil.example.com', undefined, '127.0.0.1', undefined)).toBe(
      'Host "evil.example.com" refused (DNS rebinding protection: on a loopback address only a loopback host is served)',
    );
    expect(rebinding('127.0.0.1:4100', 'http://evil.example.com', '::1', undefined)).toMatch(
      /^Origin "http:\/\/evil.example.com" refused/,
    );
    expect(rebinding('evil.example.com@127.0.0.1', undefined, '127.0.0.1', undefined)).toBe(
      'Host "evil.example.com@127.0.0.1" is not a URL host',
    );
    expect(rebinding(undefined, undefined, '127.0.0.1', undefined)).toBe('no Host header');
    expect(rebinding('127.0.0.1', 'null', '127.0.0.1', undefined)).toBe('Origin "null" is not a URL host');
  });

  it('on another address, checks nothing unless a list of hosts is set; with one, only those', () => {
    expect(rebinding('fulcrum.acme.example', 'https://elsewhere.example', '10.0.0.7', undefined)).toBeUndefined();
    const allowed = ['fulcrum.acme.example', 'console.acme.example'];
    expect(rebinding('fulcrum.acme.example:443', 'https://console.acme.example', '10.0.0.7', allowed)).toBeUndefined();
    expect(rebinding('localhost', undefined, '127.0.0.1', allowed)).toMatch(/FULCRUM_MCP_ALLOWED_HOSTS does not list it/);
    expect(rebinding('fulcrum.acme.example', 'https://evil.example', '10.0.0.7', allowed)).toMatch(
      /^Origin "https:\/\/evil.example" refused/,
    );
  });

  it('reads FULCRUM_MCP_ALLOWED_HOSTS as a comma-separated list, and refuses what is not a host', () => {
    expect(
      mcpSettings({ FULCRUM_MCP_ALLOWED_HOSTS: ' Fulcrum.acme.example, ::1 ,0:0:0:0:0:0:0:1,[fd00::7], 10.0.0.7' }).allowedHosts,
    ).toEqual(['fulcrum.acme.example', '::1', '::1', 'fd00::7', '10.0.0.7']);
    for (const bad of ['cafe:8080', 'fulcrum.acme.example:443', 'a/b', 'user@host'])
      expect(() => mcpSettings({ FULCRUM_MCP_ALLOWED_HOSTS: bad }), bad).toThrow(
        `FULCRUM_MCP_ALLOWED_HOSTS: "${bad}" is not a host name or address (no scheme, no port)`,
      );
    // What the list holds is what a Host header parses to.
    const allowed = mcpSettings({ FULCRUM_MCP_ALLOWED_HOSTS: '0:0:0:0:0:0:0:1' }).allowedHosts;
    expect(rebinding('[::1]:4100', undefined, '10.0.0.7', allowed)).toBeUndefined();
    expect(mcpSettings({}).allowedHosts).toBeUndefined();
    expect(() => mcpSettings({ FULCRUM_MCP_ALLOWED_HOSTS: 'https://fulcrum.acme.example' })).toThrow(
      'FULCRUM_MCP_ALLOWED_HOSTS: "https://fulcrum.acme.example" is not a host name or address (no scheme, no port)',
    );
  });
});

describe('/mcp on a loopback listener', () => {
  let t: TestServer;
  let port: number;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini('sqlite'));
    port = Number(new URL(await t.server.listen({ host: '127.0.0.1', port: 0 })).port);
  });
  afterAll(async () => t?.close());

  /** An MCP initialize over real HTTP with the Host and Origin given. */
  function initialize(host: string, origin?: string): Promise<{ status: number; body: string }> {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'rebinding-test', version: '1' } },
    });
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/mcp',
          method: 'POST',
          headers: {
            host,
            ...(origin ? { origin } : {}),
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers a client on this machine and refuses a page whose host name was made to resolve here', async () => {
    const ok = await initialize(`127.0.0.1:${port}`, `http://localhost:${port}`);
    expect(ok.status, ok.body).toBe(200);
    expect(JSON.parse(ok.body).result.serverInfo.name).toBe('fulcrum');
    const evil = await initialize('evil.example.com', 'http://evil.example.com');
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32000,
        message:
          'Forbidden: Host "evil.example.com" refused (DNS rebinding protection: on a loopback address only a loopback host is served)',
      },
    });
  });
});
