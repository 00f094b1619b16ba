// MCP 2026-07-28 on /mcp, served by the official SDK 2.x (`@modelcontextprotocol/server`'s
// createMcpHandler). In 2026-07-28 there is no initialize and no session: every request carries its
// protocol version and the client's capabilities in `params._meta`, and repeats the method (and the
// tool's name) in the `Mcp-Method` / `Mcp-Name` headers; `server/discover` replaces the handshake.
// The SDK checks all of that (each rung answered with its own JSON-RPC error and status: 400 -32020 a
// header that disagrees with the body, -32022 a version not served, 404 -32601 a method the version
// does not have), and shapes every result for the version (resultType, ttlMs and cacheScope, the
// server's name in the result's `_meta`).
//
// Requests of 2025-11-25 and before never reach this file: route.ts keeps serving them on the node's
// long-lived SDK 1.x server (exchange.ts), unchanged and as fast as before. The handler is built with
// `legacy: 'reject'` so an old request that slipped through would be refused rather than served twice.
//
// The SDK builds a server per request (the factory below). The low-level `Server` with two handlers
// costs ~40 µs to build, against ~350 µs for an `McpServer` with zod schemas (measured; see
// docs/mcp.md), and a gateway's tools are JSON Schemas from the registry anyway.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APPROVAL_META, type McpGateway } from './gateway.js';
import { RPC } from './sdk.js';
import type { Progress } from './upstream.js';

/** The protocol versions this file serves (the SDK's own list of modern versions). */
export const MODERN_VERSIONS = ['2026-07-28'] as const;
/** The `_meta` key every 2026-07-28 request carries its protocol version in. */
export const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';

type ServerSdk = typeof import('@modelcontextprotocol/server');

let loading: Promise<ServerSdk> | undefined;
/** The SDK 2.x server package, loaded on first use (as sdk.ts loads 1.x): CLI commands never pay for it. */
export const loadServerSdk = (): Promise<ServerSdk> => {
  loading ??= import('@modelcontextprotocol/server');
  return loading;
};

/**
 * Whether a POST is for the 2026-07-28 handler: its body claims a protocol version in the `_meta`
 * envelope (the SDK classifies by the body; the header is a cross-check it applies), or its
 * `MCP-Protocol-Version` header names a version the 1.x server does not know (so the modern handler
 * answers with the versions it does serve, -32022, which is what a 2026 client's fallback reads).
 */
export function isModern(body: unknown, headerVersion: string | undefined, legacyVersions: readonly string[]): boolean {
  if (Array.isArray(body)) return false; // JSON-RPC batches ended with 2025-06-18
  const meta = (body as { params?: { _meta?: Record<string, unknown> } } | null)?.params?._meta;
  if (meta && typeof meta === 'object' && PROTOCOL_VERSION_META in meta) return true;
  return headerVersion !== undefined && !legacyVersions.includes(headerVersion);
}

export type ModernEndpoint = Awaited<ReturnType<typeof modernEndpoint>>;

export async function modernEndpoint(gateway: McpGateway, info: { version: string }) {
  const sdk = await loadServerSdk();
  const agentOf = (ctx: { http?: { authInfo?: { clientId: string } } }) => ctx.http?.authInfo?.clientId as string;
  const handler = sdk.createMcpHandler(
    () => {
      const server = new sdk.Server(
        { name: 'fulcrum', version: info.version },
        { capabilities: { tools: { listChanged: false } } },
      );
      server.setRequestHandler('tools/list', async (_request, ctx) => ({
        tools: (await gateway.listTools(agentOf(ctx))) as never,
      }));
      server.setRequestHandler('tools/call', async (request, ctx) => {
        const { name, arguments: args, _meta: meta } = request.params;
        const presented = meta?.[APPROVAL_META];
        if (presented !== undefined && typeof presented !== 'string')
          throw new sdk.ProtocolError(RPC.InvalidParams, `params._meta["${APPROVAL_META}"] must be a string (an approval id)`);
        const token = meta?.progressToken;
        // Progress is sent on the request's own response, which the SDK turns into an SSE stream
        // when a notification comes before the result (responseMode 'auto').
        const onProgress =
          token === undefined
            ? undefined
            : (p: Progress) => {
                ctx.mcpReq.notify({ method: 'notifications/progress', params: { ...p, progressToken: token } }).catch(() => {});
              };
        try {
          const traceparent = meta?.traceparent;
          return (await gateway.callTool(
            agentOf(ctx),
            name,
            args ?? {},
            presented,
            onProgress,
            typeof traceparent === 'string' ? traceparent : undefined,
          )) as never;
        } catch (err) {
          // The gateway's protocol errors (an unknown tool) carry a JSON-RPC code; 2.x wants its own class.
          const code = (err as { code?: unknown }).code;
          if (typeof code === 'number') throw new sdk.ProtocolError(code, (err as Error).message);
          throw err;
        }
      });
      return server;
    },
    { legacy: 'reject', responseMode: 'auto' },
  );

  return {
    /** Answers one 2026-07-28 POST (already authenticated: `agent` is the caller). */
    async serve(request: FastifyRequest, reply: FastifyReply, agent: string): Promise<FastifyReply> {
      const headers = new Headers();
      for (const [k, v] of Object.entries(request.headers)) {
        if (v === undefined) continue;
        headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      headers.delete('content-length'); // the body was read and parsed already: it is handed over as parsedBody
      const res = await handler.fetch(new Request('http://fulcrum.invalid/mcp', { method: 'POST', headers }), {
        authInfo: { token: '', clientId: agent, scopes: [] },
        parsedBody: request.body,
      });
      reply.code(res.status);
      for (const h of ['content-type', 'cache-control', 'allow'] as const) {
        const v = res.headers.get(h);
        if (v !== null) reply.header(h, v);
      }
      if (!res.body) return reply.send();
      if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream'))
        return reply.send(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream));
      return reply.send(Buffer.from(await res.arrayBuffer()));
    },
    close: () => handler.close(),
  };
}
