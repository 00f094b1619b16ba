// Upstreams on 127.0.0.1 for the security tests: a minimal MCP server over HTTP that records each
// request's headers, and servers that answer with a recognisable banner but are not MCP (an HTTP
// error page, an HTML page, a raw TCP service) so a test can look for those bytes in an error.
import http from 'node:http';
import net from 'node:net';

export const BANNER = 'SSH-2.0-OpenSSH_9.6 internal-db-7f3a';

export interface Listening {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

async function listen(server: net.Server, url: (port: number) => string): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  const close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy(); // keep-alive sockets would hold close() open
      server.close(() => r());
    });
  const out: Listening = { url: '', port: 0, connections: 0, close };
  server.on('connection', (socket) => {
    out.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  out.port = (server.address() as net.AddressInfo).port;
  out.url = url(out.port);
  return out;
}

/** Enough of MCP over Streamable HTTP (JSON answers) for a client's handshake and tools/list. */
export async function startMcpUpstream(): Promise<Listening & { headers: http.IncomingHttpHeaders[] }> {
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      headers.push(req.headers);
      const m = JSON.parse(body) as { id?: number; method: string; params?: { protocolVersion?: string } };
      if (m.id === undefined) return void res.writeHead(202).end();
      const result =
        m.method === 'initialize'
          ? { protocolVersion: m.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'rec', version: '1' } }
          : m.method === 'tools/list'
            ? // An upstream that echoes its request's credential (a debugging tool, a reflecting proxy).
              {
                tools: [
                  {
                    name: 'echo',
                    description: `called with ${req.headers.authorization ?? 'no credential'}`,
                    inputSchema: { type: 'object' },
                  },
                ],
              }
            : {};
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }));
    });
  });
  return Object.assign(await listen(server, (p) => `http://127.0.0.1:${p}/mcp`), { headers });
}

/** Something that is not MCP, answering with BANNER: an HTTP error, an HTML page, or raw bytes. */
export function startBannerServer(kind: 'http-500' | 'html' | 'raw'): Promise<Listening> {
  if (kind === 'raw') {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.end(`${BANNER}\r\n`);
    });
    return listen(server, (p) => `http://127.0.0.1:${p}/mcp`);
  }
  const server = http.createServer((req, res) => {
    req.resume();
    if (kind === 'http-500') res.writeHead(500, { 'content-type': 'text/plain' }).end(BANNER);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${BANNER}</body></html>`);
  });
  return listen(server, (p) => `http://127.0.0.1:${p}/mcp`);
}

/** How an upstream floods its answer: an error page, a JSON body, one SSE event, an SSE event never ended. */
export type Flood = 'error' | 'json' | 'sse-event' | 'sse-unended';

const FLOOD_UNIT = 'a'.repeat(64 * 1024);

/**
 * An MCP server that completes the handshake, then answers every other request with `total` bytes
 * (64 MiB by default), written only as fast as they are read, so neither side holds them: `sent`
 * says how far the reader got before it stopped.
 */
export async function startFloodUpstream(kind: Flood, total = 64 * 1024 * 1024): Promise<Listening & { sent: number }> {
  let sent = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const m = JSON.parse(body) as { id?: number; method: string; params?: { protocolVersion?: string } };
      if (m.id === undefined) return void res.writeHead(202).end();
      if (m.method === 'initialize') {
        const result = {
          protocolVersion: m.params?.protocolVersion,
          capabilities: { tools: {} },
          serverInfo: { name: 'flood', version: '1' },
        };
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }));
      }
      // A well-formed answer but for its size (except the error page and the event never ended).
      const start = `{"jsonrpc":"2.0","id":${m.id},"result":{"tools":[],"pad":"`;
      const [status, type, head, unit, foot] = {
        error: [500, 'text/plain', '', FLOOD_UNIT, ''],
        json: [200, 'application/json', start, FLOOD_UNIT, '"}}'],
        'sse-event': [200, 'text/event-stream', `event: message\ndata: ${start}`, FLOOD_UNIT, '"}}\n\n'],
        'sse-unended': [200, 'text/event-stream', 'event: message\n', `data: ${FLOOD_UNIT}\n`, ''],
      }[kind] as [number, string, string, string, string];
      res.writeHead(status, { 'content-type': type });
      let open = true;
      res.on('close', () => {
        open = false;
      });
      const write = (s: string) => {
        sent += s.length;
        return res.write(s);
      };
      write(head);
      const pump = () => {
        while (open && sent < total) if (!write(unit)) return void res.once('drain', pump);
        if (open) res.end(foot);
      };
      pump();
    });
  });
  const out = await listen(server, (p) => `http://127.0.0.1:${p}/mcp`);
  return Object.defineProperty(out, 'sent', { get: () => sent }) as Listening & { sent: number };
}
