// A hand-written MCP server (2025-11-25, JSON-RPC over plain HTTP POST) for the tests of upstreams
// that misbehave: it answers `initialize`, takes notifications, and leaves every other request to
// `handle`; what `handle` does not answer gets JSON-RPC's "Method not found".
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RpcRequest {
  id: unknown;
  method: string;
  params: any;
}

export interface RpcReply {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** Answers with this result, as JSON. */
  ok(result: unknown): void;
}

export interface RpcUpstream {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts it on a free loopback port; `handle` returns true when it answered (or will answer) the
 * request. `unasked`, when given, takes what is no request (a notification, or the client's answer to
 * one of the upstream's own requests) and returns true when it answered it; else it gets a 202.
 */
export async function startRpcUpstream(
  name: string,
  handle: (msg: RpcRequest, reply: RpcReply) => boolean | Promise<boolean>,
  unasked?: (msg: { method?: string; id?: unknown }, res: http.ServerResponse) => boolean,
): Promise<RpcUpstream> {
  const sockets = new Set<Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (!('id' in msg) || !msg.method) {
      if (unasked?.(msg, res)) return;
      return void res.writeHead(202).end();
    }
    const ok = (result: unknown) => json({ jsonrpc: '2.0', id: msg.id, result });
    if (msg.method === 'initialize')
      return ok({ protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name, version: '1' } });
    if (await handle(msg, { req, res, ok })) return;
    json({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
