// Keep-alive sockets to upstreams (MCP servers, model endpoints) are closed by Fulcrum while idle,
// before the upstream would close them. Otherwise a call can be written onto a socket the upstream is
// closing at that moment, and fails ("socket hang up", ECONNRESET) with nothing wrong on either side.
// Node's Agent ignores the server's `Keep-Alive: timeout=N` hint unless the Agent has a timeout of its
// own (Node 20 and 24), so an idle socket stayed open until the upstream closed it (the likely cause
// of one MCP tool call lost in .ci/run, test/security/mcp-gateway.test.ts).
//
// The upstream here announces a keep-alive timeout but keeps idle sockets for a minute: a socket that
// closes before then was closed by Fulcrum.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboundPolicy, IDLE_SOCKET_MS, idleSocketMs } from '../../src/net/outbound.js';
import { until } from '../support/wait.js';

interface Upstream {
  url: URL;
  /** Connections opened, and those still open. */
  opened: () => number;
  open: () => number;
  close: () => Promise<void>;
}

/** An upstream announcing `hint` (or nothing) as its keep-alive timeout. */
async function upstream(hint: string | undefined): Promise<Upstream> {
  let opened = 0;
  let open = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const headers: Record<string, string> = { 'content-type': 'text/plain', connection: 'keep-alive' };
      if (hint !== undefined) headers['keep-alive'] = hint;
      res.writeHead(200, headers).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    opened++;
    open++;
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    opened: () => opened,
    open: () => open,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One request through the outbound policy's Agent, as the MCP and LLM gateways send theirs. */
function get(policy: ReturnType<typeof createOutboundPolicy>, url: URL): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: policy.agentFor(url) }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('idle keep-alive sockets to upstreams', () => {
  let up: Upstream | undefined;
  afterEach(async () => {
    await up?.close();
    up = undefined;
  });
  const policy = () => createOutboundPolicy({ allowHosts: [{ host: '127.0.0.1' }] });

  it('reads the hint: a second less than announced, at most IDLE_SOCKET_MS, not kept when too short', () => {
    expect(idleSocketMs('timeout=5')).toBe(4000);
    expect(idleSocketMs('timeout=3, max=100')).toBe(2000);
    expect(idleSocketMs('Timeout=75')).toBe(IDLE_SOCKET_MS);
    expect(idleSocketMs(undefined)).toBe(IDLE_SOCKET_MS);
    expect(idleSocketMs('max=100')).toBe(IDLE_SOCKET_MS);
    expect(idleSocketMs('timeout=1')).toBe(0);
    expect(idleSocketMs('timeout=0')).toBe(0);
  });

  it("closes an idle socket before the upstream's announced keep-alive timeout, and opens a new one for the next call", async () => {
    up = await upstream('timeout=3');
    const p = policy();
    expect((await get(p, up.url)).status).toBe(200);
    expect(up.open()).toBe(1);
    // Kept for reuse while busy: a call right after the first goes on the same socket.
    expect((await get(p, up.url)).reused).toBe(true);
    await until(() => up?.open() === 0, 'Fulcrum to close the idle socket (the upstream keeps it 60 s)');
    const next = await get(p, up.url);
    expect(next).toEqual({ status: 200, reused: false });
    expect(up.opened()).toBe(2);
  }, 20_000);

  it('closes an idle socket after IDLE_SOCKET_MS when the upstream announces nothing', async () => {
    up = await upstream(undefined);
    const p = policy();
    expect((await get(p, up.url)).status).toBe(200);
    await until(() => up?.open() === 0, 'Fulcrum to close the idle socket (the upstream keeps it 60 s)');
  }, 20_000);
});
