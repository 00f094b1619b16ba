// `/mcp`: the gateway over MCP Streamable HTTP, served by the official SDK's server and transport.
// Stateless by design: every POST gets a fresh SDK transport (and an idle SDK server), no session
// id is issued, and all state (registry, decisions, approvals) is in the database, so any node behind a load
// balancer can answer any request, including one that waits for an approval granted on another.
// (This file sits with the gateway rather than in src/http/routes so the MCP code stays in one place.)
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorResponses, Name } from '../http/schemas.js';
import { APPROVAL_META, type McpGateway, protocolError } from './gateway.js';
import { loadSdk, RPC, type Sdk } from './sdk.js';

const DESCRIPTION =
  'The MCP gateway (Streamable HTTP, stateless: no session id, JSON responses). Authenticate with the agent key ' +
  "(`Authorization: Bearer fk_…`). `tools/list` shows the MCP tools the agent's policies let it call (approval-gated " +
  'ones included); `tools/call` is decided by the guard first and audited: allowed calls go to the upstream MCP ' +
  'server, refused ones come back as tool errors naming the policies, approval-gated ones wait (bounded) for a person. ' +
  'The body is a JSON-RPC 2.0 message; see docs/mcp.md.';

const NOT_ALLOWED = {
  jsonrpc: '2.0',
  error: { code: -32000, message: 'Method not allowed: this gateway is stateless; POST messages to /mcp' },
  id: null,
};

export function mcpRoutes(server: FastifyInstance, gateway: McpGateway, info: { version: string }): void {
  // The SDK starts loading now (a serving node), in the background; the first request waits for it.
  const pool = loadSdk().then((sdk) => sdkServerPool(sdk, gateway, info));
  pool.catch(() => {}); // a failed import surfaces on the requests that await it
  server.post(
    '/mcp',
    {
      config: { agentOnly: true },
      schema: {
        tags: ['mcp'],
        summary: 'MCP gateway (Streamable HTTP)',
        description: DESCRIPTION,
        body: {
          oneOf: [{ type: 'object' }, { type: 'array' }],
          description: 'a JSON-RPC 2.0 request, notification or response (MCP)',
        },
        response: {
          200: {
            description: 'the JSON-RPC response (202, empty, for a notification)',
            type: 'object',
            additionalProperties: true,
          },
        },
      },
    },
    async (request, reply) => {
      // A transport serves one request (stateless); the SDK server is reused once it is closed.
      const servers = await pool;
      const mcp = servers.take();
      const transport = servers.transport();
      let clean = false;
      try {
        await mcp.connect(transport);
        // The agent reaches the handlers as the request's authInfo: the server is shared, the caller is not.
        const authInfo = { token: '', clientId: request.principal.id, scopes: [] };
        const res = await transport.handleRequest(toWebRequest(request), { parsedBody: request.body, authInfo });
        const sent = await send(reply, res);
        clean = true;
        return sent;
      } finally {
        await mcp.close();
        if (clean) servers.release(mcp);
      }
    },
  );
  server.get<{ Params: { name: string } }>(
    '/v1/mcp-servers/:name/tools',
    {
      schema: {
        tags: ['mcp'],
        summary: "An MCP server's tools as the upstream lists them, as Tool descriptors, each marked registered or not",
        description:
          'Connects to the upstream (stdio or Streamable HTTP) from this node. `descriptor.spec.effect` is guessed from the ' +
          "tool's MCP annotations: review it before applying. `fulcrum mcp discover` prints and writes these.",
        params: T.Object({ name: Name }),
        response: errorResponses(401, 403, 404, 503),
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
      schema: { tags: ['mcp'], summary: `${method} /mcp: not offered (stateless gateway)`, description: 'Always 405.' },
      handler: async (_request, reply) => reply.code(405).header('allow', 'POST').send(NOT_ALLOWED),
    });
}

/**
 * SDK servers for /mcp, reused across requests: building one (handlers, capabilities, its first
 * connect) cost more CPU than the rest of the route (bench/mcp). A server serves one request at a
 * time; the pool holds the idle ones, and a server that failed mid-request is dropped, not reused.
 */
function sdkServerPool(sdk: Sdk, gateway: McpGateway, info: { version: string }) {
  // One validator for all: by default each server builds its own Ajv (it only validates
  // elicitation schemas, which the gateway never sends).
  const jsonSchemaValidator = new sdk.AjvJsonSchemaValidator();
  const idle: Server[] = [];
  const agentOf = (extra: { authInfo?: { clientId: string } }) => extra.authInfo?.clientId as string;
  function create(): Server {
    const mcp = new sdk.Server(
      { name: 'fulcrum', version: info.version },
      { capabilities: { tools: { listChanged: false } }, jsonSchemaValidator },
    );
    mcp.setRequestHandler(sdk.ListToolsRequestSchema, async (_req, extra) => ({
      tools: await gateway.listTools(agentOf(extra)),
    }));
    mcp.setRequestHandler(sdk.CallToolRequestSchema, async ({ params }, extra) => {
      const presented = params._meta?.[APPROVAL_META];
      if (presented !== undefined && typeof presented !== 'string')
        throw protocolError(RPC.InvalidParams, `params._meta["${APPROVAL_META}"] must be a string (an approval id)`);
      return gateway.callTool(agentOf(extra), params.name, params.arguments ?? {}, presented);
    });
    return mcp;
  }
  return {
    take: (): Server => idle.pop() ?? create(),
    transport: () =>
      new sdk.WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true }),
    release(mcp: Server): void {
      if (idle.length < 256) idle.push(mcp);
    },
  };
}

function toWebRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(request.headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const one of v) headers.append(k, one);
    else headers.set(k, v);
  }
  // The body is already parsed by Fastify (and passed as parsedBody): the Request carries headers only.
  return new Request(`http://${request.host}${request.url}`, { method: request.method, headers });
}

async function send(reply: FastifyReply, res: Response): Promise<FastifyReply> {
  reply.code(res.status);
  res.headers.forEach((value, key) => {
    reply.header(key, value);
  });
  return reply.send(await res.text());
}
