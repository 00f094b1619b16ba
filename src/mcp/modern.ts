// MCP 2026-07-28 on /mcp. In 2026-07-28 there is no initialize and no session: every request
// carries its protocol version and the client's capabilities in `params._meta`, and repeats the
// method (and the tool's name) in the `Mcp-Method` / `Mcp-Name` headers; `server/discover` replaces
// the handshake.
//
// Two ways through, one answer. The official SDK 2.x handler (`@modelcontextprotocol/server`'s
// createMcpHandler, a low-level `Server` built per request) serves everything: it checks all of the
// above (each rung answered with its own JSON-RPC error and status: 400 -32020 a header that
// disagrees with the body, -32022 a version not served, 404 -32601 a method the version does not
// have) and shapes every result for the version (resultType, ttlMs and cacheScope, the server's name
// in the result's `_meta`). What agents send all day, a plain `tools/call` or `tools/list`, is
// answered without it when it is plainly well formed (`plainRequest` below): the SDK's own
// classifier (`classifyInboundRequest`) has found the envelope valid and the headers agreeing with
// the body, the required headers are all there, spelled as the body spells them, and the params hold
// nothing but what the gateway reads. Anything else, however rare or wrong, goes to the SDK
// handler, so every refusal is the SDK's. The plain path costs a WHATWG Request and Response, a
// server and a transport less per call (~0.6 ms of CPU per call on the 2-core bench machine,
// bench/README.md); `test/mcp/modern-plain.test.ts` sends the same requests both ways and compares
// the answers.
//
// Requests of 2025-11-25 and before never reach this file: route.ts keeps serving them on the node's
// long-lived SDK 1.x server (exchange.ts). The handler is built with `legacy: 'reject'` so an old
// request that slipped through would be refused rather than served twice.
//
// The SDK builds a server per request (the factory below). The low-level `Server` with two handlers
// costs ~40 µs to build, against ~350 µs for an `McpServer` with zod schemas (measured; see
// docs/mcp.md), and a gateway's tools are JSON Schemas from the registry anyway.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AgentCaller } from '../guard/guard-service.js';
import { goneSignal } from '../http/gone.js';
import { APPROVAL_META, type McpGateway } from './gateway.js';
import { decodeHeaderValue } from './routing-headers.js';
import { RPC, SERVER_INFO_META_KEY } from './sdk.js';
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

/** A plain 2026-07-28 `tools/call` or `tools/list` (see the top of this file), as the gateway takes it. */
export type PlainRequest =
  | { id: string | number; method: 'tools/list' }
  | {
      id: string | number;
      method: 'tools/call';
      name: string;
      args: Record<string, unknown>;
      approvalId?: string;
      traceparent?: string;
    };

const PLAIN_BODY = new Set(['jsonrpc', 'id', 'method', 'params']);
const PLAIN_PARAMS: Record<PlainRequest['method'], ReadonlySet<string>> = {
  'tools/call': new Set(['name', 'arguments', '_meta']),
  'tools/list': new Set(['cursor', '_meta']),
};
/** The `_meta` keys a plain request may carry: the envelope's, the approval id, W3C trace context.
 *  A progress token asks for a stream, which the SDK handler gives. */
const PLAIN_META = new Set([
  PROTOCOL_VERSION_META,
  'io.modelcontextprotocol/clientCapabilities',
  'io.modelcontextprotocol/clientInfo',
  'io.modelcontextprotocol/logLevel',
  APPROVAL_META,
  'traceparent',
  'tracestate',
  'baggage',
]);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const v = headers[name];
  return typeof v === 'string' ? v : undefined;
};

/**
 * The request as the gateway takes it when it is plainly well formed, or undefined: then the SDK
 * handler answers it (a refusal, a stream, a rarer method, a header in its encoded form). Only what
 * is certainly served the same way both ways is plain; `classify` is the SDK's own classifier.
 */
export function plainRequest(
  classify: ServerSdk['classifyInboundRequest'],
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
): PlainRequest | undefined {
  if (!isObject(body)) return undefined;
  for (const k of Object.keys(body)) if (!PLAIN_BODY.has(k)) return undefined;
  const { method, params } = body;
  if (method !== 'tools/call' && method !== 'tools/list') return undefined;
  const id = body.id;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isSafeInteger(id))) return undefined;
  if (!isObject(params) || !isObject(params._meta)) return undefined;
  const meta = params._meta;
  if (meta[PROTOCOL_VERSION_META] !== MODERN_VERSIONS[0]) return undefined;
  for (const k of Object.keys(params)) if (!PLAIN_PARAMS[method].has(k)) return undefined;
  for (const k of Object.keys(meta)) if (!PLAIN_META.has(k)) return undefined;
  if (!(header(headers, 'content-type') ?? '').toLowerCase().startsWith('application/json')) return undefined;
  // Every header the version requires, spelled exactly as the body spells it.
  const version = header(headers, 'mcp-protocol-version');
  const mcpMethod = header(headers, 'mcp-method');
  const mcpName = header(headers, 'mcp-name');
  if (version !== MODERN_VERSIONS[0] || mcpMethod !== method) return undefined;
  // A name that has the encoded form (`=?base64?…?=`) is read decoded by the SDK, even sent as the body spells it.
  if (
    method === 'tools/call' &&
    (typeof params.name !== 'string' || mcpName !== params.name || decodeHeaderValue(mcpName) !== mcpName)
  )
    return undefined;
  const route = classify({
    httpMethod: 'POST',
    protocolVersionHeader: version,
    mcpMethodHeader: mcpMethod,
    ...(mcpName !== undefined ? { mcpNameHeader: mcpName } : {}),
    body,
  });
  if (route.kind !== 'modern' || route.messageKind !== 'request' || route.classification.revision !== MODERN_VERSIONS[0])
    return undefined;
  if (method === 'tools/list')
    return params.cursor === undefined || typeof params.cursor === 'string' ? { id, method } : undefined;
  const args = params.arguments;
  if (args !== undefined && !isObject(args)) return undefined;
  const approvalId = meta[APPROVAL_META];
  const traceparent = meta.traceparent;
  if (approvalId !== undefined && typeof approvalId !== 'string') return undefined;
  if (traceparent !== undefined && typeof traceparent !== 'string') return undefined;
  return {
    id,
    method,
    name: params.name as string,
    args: args ?? {},
    ...(approvalId !== undefined ? { approvalId } : {}),
    ...(traceparent !== undefined ? { traceparent } : {}),
  };
}

/**
 * The JSON-RPC answer to a plain request, shaped as the SDK's 2026-07-28 encoding shapes a
 * handler's result (`resultType`, the cache fields of a list, the server's identity in `_meta`) or
 * its error (the thrown code, else -32603; -32002 read as -32602).
 */
export async function answerPlain(
  gateway: McpGateway,
  caller: AgentCaller,
  request: PlainRequest,
  serverInfo: { name: string; version: string },
  gone?: AbortSignal,
): Promise<Record<string, unknown>> {
  try {
    let result: Record<string, unknown>;
    if (request.method === 'tools/list') {
      const tools = await gateway.listTools(caller.id);
      result = { tools, resultType: 'complete', ttlMs: 0, cacheScope: 'private' };
    } else {
      const r = await gateway.callTool(
        caller,
        request.name,
        request.args,
        request.approvalId,
        undefined,
        request.traceparent,
        gone,
      );
      result = { ...r, resultType: 'complete' };
    }
    const meta = result._meta;
    if (meta === undefined) result._meta = { [SERVER_INFO_META_KEY]: serverInfo };
    else if (isObject(meta) && meta[SERVER_INFO_META_KEY] === undefined)
      result._meta = { ...meta, [SERVER_INFO_META_KEY]: serverInfo };
    return { result, jsonrpc: '2.0', id: request.id };
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown; data?: unknown };
    const code = Number.isSafeInteger(e?.code) ? (e.code as number) : RPC.InternalError;
    return {
      jsonrpc: '2.0',
      id: request.id,
      error: {
        code: code === -32002 ? RPC.InvalidParams : code,
        message: typeof e?.message === 'string' ? e.message : 'Internal error',
        ...(e?.data !== undefined ? { data: e.data } : {}),
      },
    };
  }
}

export async function modernEndpoint(gateway: McpGateway, info: { version: string }, opts: { plain?: boolean } = {}) {
  const sdk = await loadServerSdk();
  const plain = opts.plain ?? true;
  const serverInfo = { name: 'fulcrum', version: info.version };
  /** How many requests each way has answered (tests read it to know which way a request went). */
  const served = { plain: 0, sdk: 0 };
  const callerOf = (ctx: { http?: { authInfo?: { extra?: Record<string, unknown> } } }) =>
    ctx.http?.authInfo?.extra?.caller as AgentCaller;
  const goneOf = (ctx: { http?: { authInfo?: { extra?: Record<string, unknown> } } }) =>
    ctx.http?.authInfo?.extra?.gone as AbortSignal | undefined;
  const backedUpOf = (ctx: { http?: { authInfo?: { extra?: Record<string, unknown> } } }) =>
    ctx.http?.authInfo?.extra?.backedUp as (() => boolean) | undefined;
  const handler = sdk.createMcpHandler(
    () => {
      const server = new sdk.Server(serverInfo, { capabilities: { tools: { listChanged: false } } });
      server.setRequestHandler('tools/list', async (_request, ctx) => ({
        tools: (await gateway.listTools(callerOf(ctx).id)) as never,
      }));
      server.setRequestHandler('tools/call', async (request, ctx) => {
        const { name, arguments: args, _meta: meta } = request.params;
        const presented = meta?.[APPROVAL_META];
        if (presented !== undefined && typeof presented !== 'string')
          throw new sdk.ProtocolError(RPC.InvalidParams, `params._meta["${APPROVAL_META}"] must be a string (an approval id)`);
        const token = meta?.progressToken;
        // Progress is sent on the request's own response, which the SDK turns into an SSE stream
        // when a notification comes before the result (responseMode 'auto'). The SDK queues what it
        // is given without bound, so progress an agent does not read is dropped, not held, as on the
        // 2025 path (route.ts): while the agent's connection has not taken what was sent before.
        const backedUp = backedUpOf(ctx);
        const onProgress =
          token === undefined
            ? undefined
            : (p: Progress) => {
                if (backedUp?.()) return;
                ctx.mcpReq.notify({ method: 'notifications/progress', params: { ...p, progressToken: token } }).catch(() => {});
              };
        try {
          const traceparent = meta?.traceparent;
          return (await gateway.callTool(
            callerOf(ctx),
            name,
            args ?? {},
            presented,
            onProgress,
            typeof traceparent === 'string' ? traceparent : undefined,
            goneOf(ctx),
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
    /** Answers one 2026-07-28 POST (already authenticated: `caller` is the agent). */
    async serve(request: FastifyRequest, reply: FastifyReply, caller: AgentCaller): Promise<FastifyReply> {
      const asked = plain ? plainRequest(sdk.classifyInboundRequest, request.body, request.headers) : undefined;
      if (asked) {
        served.plain++;
        const answer = await answerPlain(gateway, caller, asked, serverInfo, goneSignal(reply));
        return reply.code(200).type('application/json').send(JSON.stringify(answer));
      }
      served.sdk++;
      const headers = new Headers();
      for (const [k, v] of Object.entries(request.headers)) {
        if (v === undefined) continue;
        headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      headers.delete('content-length'); // the body was read and parsed already: it is handed over as parsedBody
      const res = await handler.fetch(new Request('http://fulcrum.invalid/mcp', { method: 'POST', headers }), {
        authInfo: {
          token: '',
          clientId: caller.id,
          scopes: [],
          extra: { gone: goneSignal(reply), caller, backedUp: () => reply.raw.writableNeedDrain },
        },
        parsedBody: request.body,
      });
      reply.code(res.status);
      // Not the SDK's Cache-Control (`no-cache` on a stream): the answer is the caller's data, and the
      // answer-headers hook makes it `no-store` as every authenticated answer is.
      for (const h of ['content-type', 'allow'] as const) {
        const v = res.headers.get(h);
        if (v !== null) reply.header(h, v);
      }
      if (!res.body) return reply.send();
      if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream'))
        return reply.send(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream));
      return reply.send(Buffer.from(await res.arrayBuffer()));
    },
    close: () => handler.close(),
    served,
  };
}
