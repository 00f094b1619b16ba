// `/mcp`: the gateway over MCP Streamable HTTP, served by the official SDK's server (exchange.ts).
// Stateless by design: no session id is issued, every POST is answered on its own response (JSON, or
// an SSE stream of progress then the answer when a request asks for progress), and all state
// (registry, decisions, approvals) is in the database, so any node behind a load balancer can answer
// any request, including one that waits for an approval granted on another.
// (This file sits with the gateway rather than in src/http/routes so the MCP code stays in one place.)
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { Type as T } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { agentCaller } from '../auth/principal.js';
import type { AgentCaller } from '../guard/guard-service.js';
import { goneSignal } from '../http/gone.js';
import { ErrorRef, errorResponses, Name, type Server } from '../http/schemas.js';
import { API_VERSION } from '../registry/model.js';
import { ExchangeTransport } from './exchange.js';
import { APPROVAL_META, type McpGateway, protocolError } from './gateway.js';
import { isModern, MODERN_VERSIONS, modernEndpoint } from './modern.js';
import { paramHeaderProblem } from './param-headers.js';
import { routingHeaderProblem } from './routing-headers.js';
import { loadSdk, RPC, type Sdk } from './sdk.js';
import type { Progress } from './upstream.js';

const DESCRIPTION =
  'The MCP gateway (Streamable HTTP, stateless: no session id; JSON responses, or an SSE stream when a request ' +
  `carries a progress token). Protocol versions ${MODERN_VERSIONS.join(', ')} (server/discover, no initialize) and ` +
  '2025-11-25 and before (initialize) on the same URL. Authenticate with the agent key ' +
  "(`Authorization: Bearer fk_…`). `tools/list` shows the MCP tools the agent's policies let it call (approval-gated " +
  'ones included); `tools/call` is decided by the guard first and audited: allowed calls go to the upstream MCP ' +
  'server, refused ones come back as tool errors naming the policies, approval-gated ones wait (bounded) for a person. ' +
  'The body is a JSON-RPC 2.0 message; see docs/mcp.md. GET and DELETE /mcp answer 405 (Allow: POST): a stateless ' +
  'gateway offers no server-initiated SSE stream and no session to end.';

/** A refused POST, as MCP's transport answers it: a JSON-RPC error with no id. */
const JsonRpcError = T.Object(
  {
    jsonrpc: T.Literal('2.0'),
    error: T.Object({
      code: T.Integer({ description: 'a JSON-RPC error code, e.g. -32600, -32700, -32000' }),
      message: T.String(),
      data: T.Optional(T.Unknown()),
    }),
    id: T.Null(),
  },
  { $id: 'JsonRpcError', description: 'a JSON-RPC 2.0 error answering a request that could not be read' },
);
const JsonRpcMessage = T.Union(
  [T.Object({}, { additionalProperties: true }), T.Array(T.Object({}, { additionalProperties: true }))],
  {
    description: 'a JSON-RPC 2.0 message (an array for a batch)',
  },
);
// A body that is not JSON at all, or a credential refused before the gateway reads it, gets Fulcrum's
// own error shape; the transport's own refusals are JSON-RPC errors.
const RefusalOrError = (description: string) =>
  T.Union([T.Ref(JsonRpcError), ErrorRef], { description: `${description} (a JSON-RPC error, or Fulcrum's Error)` });

const McpToolDiscovery = T.Object(
  {
    server: T.String(),
    prefix: T.String({ description: "the server's tool-name prefix ('' when none)" }),
    tools: T.Array(
      T.Object({
        name: T.String({ description: 'the registry Tool name: <prefix>.<tool>' }),
        mcpName: T.String({ description: 'the name agents see in tools/list' }),
        upstreamName: T.String({ description: 'the name the upstream gave it' }),
        registered: T.Boolean({ description: 'the registry has a Tool of this name' }),
        descriptor: T.Object({
          apiVersion: T.Literal(API_VERSION),
          kind: T.Literal('Tool'),
          metadata: T.Object({ name: T.String(), labels: T.Record(T.String(), T.String()) }),
          spec: T.Object({
            description: T.Optional(T.String()),
            system: T.String(),
            effect: T.Unsafe<'read' | 'write' | 'destructive'>({
              type: 'string',
              enum: ['read', 'write', 'destructive'],
              description: "a guess from the tool's MCP annotations: review it before applying",
            }),
            dataDomains: T.Array(T.String()),
            arguments: T.Record(T.String(), T.Unknown(), { description: "the tool's inputSchema (a JSON Schema)" }),
          }),
        }),
      }),
    ),
  },
  { $id: 'McpToolDiscovery', description: "an MCP server's tools as the upstream lists them, as Tool descriptors" },
);

/** The SDK's limit on messages in one POST. */
const MAX_BATCH = 100;

const NOT_ALLOWED = {
  jsonrpc: '2.0',
  error: { code: -32000, message: 'Method not allowed: this gateway is stateless; POST messages to /mcp' },
  id: null,
};

export function mcpRoutes(
  server: Server,
  gateway: McpGateway,
  info: { version: string; allowedHosts?: readonly string[] },
): void {
  // The SDK starts loading now (a serving node), in the background; the first request waits for it.
  const endpointReady = loadSdk().then((sdk) => sdkEndpoint(sdk, gateway, info));
  endpointReady.catch(() => {}); // a failed import surfaces on the requests that await it
  // MCP 2026-07-28 (modern.ts): the SDK 2.x handler, loaded beside 1.x.
  const modernReady = modernEndpoint(gateway, info);
  modernReady.catch(() => {});
  server.addHook('onClose', async () => {
    await (await modernReady.catch(() => undefined))?.close();
  });
  server.addSchema(JsonRpcError);
  server.addSchema(McpToolDiscovery);
  server.post(
    '/mcp',
    {
      config: { agentOnly: true },
      schema: {
        operationId: 'mcp',
        tags: ['mcp'],
        summary: 'MCP gateway (Streamable HTTP)',
        description: DESCRIPTION,
        body: {
          oneOf: [{ type: 'object' }, { type: 'array' }],
          description: 'a JSON-RPC 2.0 request, notification or response (MCP); an array for a batch',
        },
        response: {
          200: {
            description:
              'the JSON-RPC response (an array for a batch of several requests); a text/event-stream instead when a ' +
              'request asks for progress (`params._meta.progressToken`): its notifications/progress, then the response',
            content: {
              'application/json': { schema: JsonRpcMessage },
              'text/event-stream': { schema: T.String({ description: 'SSE: `event: message` with a JSON-RPC message each' }) },
            },
          },
          202: { description: 'notifications or responses only: accepted, no body', type: 'null' },
          400: RefusalOrError(
            'not JSON-RPC, an id JSON cannot hold exactly (an integer past ±(2^53 − 1)), an unsupported MCP-Protocol-Version, a header that disagrees with the body, or a bad batch',
          ),
          403: RefusalOrError(
            'a Host or Origin refused as DNS rebinding (see FULCRUM_MCP_ALLOWED_HOSTS in docs/mcp.md), or not an agent key',
          ),
          404: T.Ref(JsonRpcError, { description: 'MCP 2026-07-28: a method the protocol version does not have' }),
          406: T.Ref(JsonRpcError, {
            description: 'the Accept header does not list application/json and text/event-stream',
          }),
        },
      },
    },
    async (request, reply) => {
      const refused = rebinding(request.headers.host, request.headers.origin, request.socket.localAddress, info.allowedHosts);
      if (refused) return rpcError(reply, 403, -32000, `Forbidden: ${refused}`);
      const unanswerable = inexactId(request.body);
      if (unanswerable !== undefined)
        return rpcError(
          reply,
          400,
          -32600,
          `Invalid Request: a JSON-RPC id must be a string or an integer within ±(2^53 − 1); this one reads as ${unanswerable}: JSON numbers past that lose digits, and the answer could not carry the id sent (send it as a string)`,
        );
      const endpoint = await endpointReady;
      const version = request.headers['mcp-protocol-version'];
      const mirrored = await paramHeaderDisagreement(gateway, request.body, request.headers);
      if (mirrored)
        return typeof version === 'string' && (MODERN_VERSIONS as readonly string[]).includes(version)
          ? rpcError(reply, 400, HEADER_MISMATCH, `Header mismatch: ${mirrored}`)
          : rpcError(reply, 400, -32000, `Bad Request: ${mirrored}`);
      if (isModern(request.body, typeof version === 'string' ? version : undefined, endpoint.sdk.SUPPORTED_PROTOCOL_VERSIONS))
        return (await modernReady).serve(request, reply, agentCaller(request.principal));
      // 2025-11-25 and before. Streamable HTTP's rules for a POST, as the SDK's own transport applies them in stateless JSON mode.
      const accept = request.headers.accept ?? '';
      if (!accept.includes('application/json') || !accept.includes('text/event-stream'))
        return rpcError(reply, 406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
      // A batch is never the 2026 handler's (it ended with 2025-06-18), so its version is checked here.
      if (typeof version === 'string' && (MODERN_VERSIONS as readonly string[]).includes(version))
        return rpcError(
          reply,
          400,
          -32600,
          `Invalid Request: MCP ${version} has no JSON-RPC batches (they ended with 2025-06-18): send one message per request`,
        );
      if (typeof version === 'string' && !endpoint.sdk.SUPPORTED_PROTOCOL_VERSIONS.includes(version))
        return rpcError(
          reply,
          400,
          -32000,
          `Bad Request: Unsupported protocol version: ${version.slice(0, 64)} (supported versions: ${endpoint.sdk.SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
        );
      const body = request.body as unknown;
      const raw = Array.isArray(body) ? body : [body];
      if (raw.length > MAX_BATCH)
        return rpcError(reply, 400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH} messages`);
      const messages: JSONRPCMessage[] = [];
      for (const m of raw) {
        const parsed = endpoint.sdk.JSONRPCMessageSchema.safeParse(m);
        if (!parsed.success) return rpcError(reply, 400, -32700, 'Parse error: Invalid JSON-RPC message');
        messages.push(parsed.data as JSONRPCMessage);
      }
      // Mcp-Method / Mcp-Name (2026-07-28's routing headers) sent with an older version must still say
      // what the body says: a proxy that routes or filters on them is not to be sidestepped by
      // downgrading the version while keeping the headers.
      const routing = headerDisagreement(request.headers, messages);
      if (routing) return rpcError(reply, 400, -32000, `Bad Request: ${routing}`);
      const initializing = messages.some((m) => 'method' in m && m.method === 'initialize');
      if (initializing && messages.length > 1)
        return rpcError(reply, 400, -32600, 'Invalid Request: Only one initialization request is allowed');
      // The agent reaches the handlers as the request's authInfo: the server is shared, the caller is not.
      // The caller's connection closing before the answer ends what its calls wait for (a person).
      const caller = agentCaller(request.principal);
      const authInfo = { token: '', clientId: caller.id, scopes: [], extra: { gone: goneSignal(reply), caller } };
      // A request that asks for progress is answered as an SSE stream: its progress notifications as
      // they come, then the answers. Everything else gets one JSON body.
      if (messages.some(asksForProgress)) {
        const stream = new PassThrough();
        const event = (m: JSONRPCMessage) => stream.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
        // Progress an agent does not read is dropped, not held: the answers always go out.
        const progress = (m: JSONRPCMessage) => {
          if (!stream.writableNeedDrain) event(m);
        };
        // An answer that cannot be written (JSON.stringify throws) is told as an internal error, and
        // anything else that fails ends the stream: thrown from here, it was an unhandled rejection,
        // which ends the process.
        endpoint.transport
          .exchange(messages, { authInfo }, progress)
          .then((answers) => {
            for (const a of answers)
              try {
                event(a);
              } catch (err) {
                request.log.error({ err }, 'an MCP answer could not be written');
                event(unwritable('id' in a ? (a.id ?? null) : null));
              }
            stream.end();
          })
          .catch((err: Error) => stream.destroy(err));
        return reply.type('text/event-stream').header('cache-control', 'no-store').header('x-accel-buffering', 'no').send(stream);
      }
      const answers = await endpoint.transport.exchange(messages, { authInfo });
      // Only notifications or responses: accepted, nothing to say.
      if (answers.length === 0) return reply.code(202).send();
      return reply.type('application/json').send(JSON.stringify(answers.length === 1 ? answers[0] : answers));
    },
  );
  server.get(
    '/v1/mcp-servers/:name/tools',
    {
      // It connects to the upstream, or starts its process: not for a link followed from another site.
      config: { reachesOut: true },
      schema: {
        operationId: 'discoverMcpTools',
        tags: ['mcp'],
        summary: "An MCP server's tools as the upstream lists them, as Tool descriptors, each marked registered or not",
        description:
          'Connects to the upstream (stdio or Streamable HTTP) from this node. `descriptor.spec.effect` is guessed from the ' +
          "tool's MCP annotations: review it before applying. `fulcrum mcp discover` prints and writes these.",
        params: T.Object({ name: Name }),
        response: { 200: T.Ref(McpToolDiscovery), ...errorResponses(404, 503) },
      },
    },
    async (req) => gateway.discover(req.principal, req.params.name),
  );
  // No server-initiated stream and no session to end: the transport's answer for a stateless server.
  for (const method of ['GET', 'DELETE'] as const)
    server.route({
      method,
      url: '/mcp',
      config: { public: true },
      // Not in the document: the answer is always 405 (POST /mcp's description says so).
      schema: { hide: true },
      handler: async (_request, reply) => reply.code(405).header('allow', 'POST').send(NOT_ALLOWED),
    });
}

/** The node's one SDK server for /mcp, and the transport the route hands messages to. */
async function sdkEndpoint(sdk: Sdk, gateway: McpGateway, info: { version: string }) {
  const callerOf = (extra: { authInfo?: { extra?: Record<string, unknown> } }) => extra.authInfo?.extra?.caller as AgentCaller;
  const goneOf = (extra: { authInfo?: { extra?: Record<string, unknown> } }) =>
    extra.authInfo?.extra?.gone as AbortSignal | undefined;
  const mcp = new sdk.Server(
    { name: 'fulcrum', version: info.version },
    // One validator for all: by default a server builds its own Ajv (it only validates elicitation
    // schemas, which the gateway never sends).
    { capabilities: { tools: { listChanged: false } }, jsonSchemaValidator: new sdk.AjvJsonSchemaValidator() },
  );
  mcp.setRequestHandler(sdk.ListToolsRequestSchema, async (_req, extra) => ({
    tools: await gateway.listTools(callerOf(extra).id),
  }));
  mcp.setRequestHandler(sdk.CallToolRequestSchema, async ({ params }, extra) => {
    const presented = params._meta?.[APPROVAL_META];
    if (presented !== undefined && typeof presented !== 'string')
      throw protocolError(RPC.InvalidParams, `params._meta["${APPROVAL_META}"] must be a string (an approval id)`);
    const token = params._meta?.progressToken;
    const onProgress =
      token === undefined
        ? undefined
        : (p: Progress) => {
            extra.sendNotification({ method: 'notifications/progress', params: { ...p, progressToken: token } }).catch(() => {});
          };
    const traceparent = params._meta?.traceparent;
    // The call's client is gone when its connection closes, or when it cancels the request (the SDK
    // 1.x client's timeout does, leaving the POST open): either way nobody hears the answer.
    const gone = goneOf(extra);
    return gateway.callTool(
      callerOf(extra),
      params.name,
      params.arguments ?? {},
      presented,
      onProgress,
      typeof traceparent === 'string' ? traceparent : undefined,
      gone ? AbortSignal.any([gone, extra.signal]) : extra.signal,
    );
  });
  // A client's ids are its own: a cancellation names a request of the same credential (exchange.ts).
  const transport = new ExchangeTransport((extra) => {
    const caller = extra.authInfo?.extra?.caller as AgentCaller | undefined;
    return caller && `${caller.id}\n${caller.keyId}`;
  });
  await mcp.connect(transport);
  return { sdk, transport };
}

/** 2026-07-28's JSON-RPC error for a request whose headers disagree with its body. */
const HEADER_MISMATCH = -32020;

/**
 * Why a tools/call's `Mcp-Param-*` headers disagree with the arguments its tool mirrors into them
 * (param-headers.ts), or nothing. On 2026-07-28 a mirrored argument needs its header; an older
 * request is checked on the headers it sends. They describe one request: a batch may not carry them.
 */
async function paramHeaderDisagreement(
  gateway: McpGateway,
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
): Promise<string | undefined> {
  if (Array.isArray(body))
    return Object.keys(headers).some((h) => h.startsWith('mcp-param-'))
      ? 'Mcp-Param-* headers describe one tools/call, not a batch'
      : undefined;
  if (body === null || typeof body !== 'object') return undefined;
  const { method, params } = body as { method?: unknown; params?: unknown };
  if (method !== 'tools/call' || params === null || typeof params !== 'object') return undefined;
  const { name, arguments: args } = params as { name?: unknown; arguments?: unknown };
  if (typeof name !== 'string') return undefined;
  const declared = await gateway.paramHeaders(name);
  if (declared.length === 0) return undefined;
  const version = headers['mcp-protocol-version'];
  const required = typeof version === 'string' && (MODERN_VERSIONS as readonly string[]).includes(version);
  return paramHeaderProblem(declared, args, headers, required);
}

/** Why Mcp-Method / Mcp-Name disagree with the message(s) they came with, or nothing (the 2026 path's rule: routing-headers.ts). */
export function headerDisagreement(headers: Record<string, unknown>, messages: JSONRPCMessage[]): string | undefined {
  const method = headers['mcp-method'];
  const name = headers['mcp-name'];
  if (method === undefined && name === undefined) return undefined;
  const [m] = messages;
  if (messages.length !== 1 || !m || !('method' in m)) return 'Mcp-Method and Mcp-Name describe one request, not a batch';
  return routingHeaderProblem(
    { ...(typeof method === 'string' ? { method } : {}), ...(typeof name === 'string' ? { name } : {}) },
    m,
  );
}

/**
 * A JSON-RPC id read as a number that is not exactly what was sent (an integer past ±(2^53 − 1), read
 * as the nearest double; one too large for a double, read as Infinity), as the body holds it; else
 * undefined. Its answer would carry another id, which the client cannot match with its request.
 */
export function inexactId(body: unknown): string | undefined {
  for (const m of Array.isArray(body) ? body : [body]) {
    const id = (m as { id?: unknown } | null)?.id;
    if (typeof id === 'number' && (!Number.isFinite(id) || (Number.isInteger(id) && !Number.isSafeInteger(id))))
      return String(id);
  }
  return undefined;
}

/** The answer to a request whose own answer could not be written. */
function unwritable(id: string | number | null): JSONRPCMessage {
  return {
    jsonrpc: '2.0',
    id,
    error: { code: RPC.InternalError, message: 'internal error: Fulcrum could not write the answer (its log says why)' },
  } as JSONRPCMessage;
}

/** A request with `params._meta.progressToken`: the client wants progress notifications for it. */
function asksForProgress(m: JSONRPCMessage): boolean {
  if (!('method' in m) || !('id' in m)) return false;
  const meta = (m.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta;
  return meta?.progressToken !== undefined;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * DNS rebinding protection, as MCP's transport rules ask of a server: a web page whose own host name
 * is made to resolve to this machine must not reach `/mcp` from a browser. With
 * FULCRUM_MCP_ALLOWED_HOSTS set, the Host (and an Origin, if sent) must name one of those hosts.
 * Without it, a request that arrived on a loopback address must name a loopback host
 * (localhost, 127.0.0.1, [::1]); one that arrived on another address is not checked (what a
 * deployment behind a load balancer is called is its own business; set the list to pin it).
 * Returns why a request is refused, or nothing.
 */
export function rebinding(
  host: string | undefined,
  origin: string | undefined,
  localAddress: string | undefined,
  allowed: readonly string[] | undefined,
): string | undefined {
  const loopback = localAddress !== undefined && /^(127\.|::1$|::ffff:127\.)/.test(localAddress);
  if (!allowed && !loopback) return undefined;
  const permitted = (name: string) => (allowed ? allowed.includes(name) : LOOPBACK_NAMES.has(name));
  const why = allowed ? 'FULCRUM_MCP_ALLOWED_HOSTS does not list it' : 'on a loopback address only a loopback host is served';
  const check = (header: 'Host' | 'Origin', value: string, url: string) => {
    const name = hostnameOf(url);
    if (name === undefined) return `${header} ${JSON.stringify(value)} is not a URL host`;
    return permitted(name) ? undefined : `${header} ${JSON.stringify(value)} refused (DNS rebinding protection: ${why})`;
  };
  if (host === undefined) return 'no Host header';
  // A host and port, nothing that a URL would read as a user name or a path.
  if (!/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return `Host ${JSON.stringify(host)} is not a URL host`;
  return check('Host', host, `http://${host}`) ?? (origin === undefined ? undefined : check('Origin', origin, origin));
}

/** A URL's host name, lower-cased, without IPv6 brackets; undefined when it is not a URL. */
export function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1') || undefined;
  } catch {
    return undefined;
  }
}

/** As the SDK's transport answers a POST it refuses: a JSON-RPC error with no id. */
function rpcError(reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
