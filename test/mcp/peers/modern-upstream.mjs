// An MCP server of the 2026-07-28 generation, built with @modelcontextprotocol/server 2.x's
// createMcpHandler on 127.0.0.1: modern only by default (`legacy: 'reject'`), or serving both
// generations on one endpoint with the argument `stateless` (`legacy: 'stateless'`). With the
// argument `stdio` it serves the same tools over stdio instead (serveStdio, modern only).
//
// Tools: echo {message} (answers "Echo: <message>"), progress {steps} (reports each step before it
// answers), fail {} (a tool error, in-band), routed {region} (declares `x-mcp-header: Region`, so a
// call without a matching Mcp-Param-Region header is refused -32020), later {} (answers input_required with only a
// requestState: "come back later"), approve {what} (asks for an elicitation: input_required).
// GET /requests lists what each POST carried (the protocol headers and the body's method), so a
// test can see what the gateway sent. Prints LOOPBACK_PORT=<port> on stderr once it listens.
import http from 'node:http';
import { createMcpHandler, fromJsonSchema, inputRequired, McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const mode = process.argv[2];
const legacy = mode === 'stateless' ? 'stateless' : 'reject';
const object = (properties = {}, required = []) => fromJsonSchema({ type: 'object', properties, required });

function factory() {
  const server = new McpServer({ name: `modern-upstream-${legacy}`, version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool(
    'echo',
    { description: 'Echoes its message', inputSchema: object({ message: { type: 'string' } }, ['message']) },
    async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }),
  );
  server.registerTool(
    'progress',
    { description: 'Reports progress, then answers', inputSchema: object({ steps: { type: 'integer' } }) },
    async ({ steps = 3 }, ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        if (token !== undefined)
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken: token, progress: i, total: steps, message: `step ${i}` },
          });
        await new Promise((r) => setTimeout(r, 10));
      }
      return { content: [{ type: 'text', text: `done after ${steps} steps` }] };
    },
  );
  server.registerTool('fail', { description: 'Always fails', inputSchema: object() }, async () => ({
    isError: true,
    content: [{ type: 'text', text: 'the fail tool failed, as it always does' }],
  }));
  // SEP-2243: its caller must mirror `region` into an Mcp-Param-Region header (refused -32020 without).
  server.registerTool(
    'routed',
    {
      description: 'Answers with the region it was routed to',
      inputSchema: object({ region: { type: 'string', 'x-mcp-header': 'Region' } }, ['region']),
    },
    async ({ region }) => ({ content: [{ type: 'text', text: `Routed to ${region}` }] }),
  );
  server.registerTool('later', { description: 'Asks to be called again later', inputSchema: object() }, async () =>
    inputRequired({ requestState: 'poll-again' }),
  );
  server.registerTool(
    'approve',
    { description: 'Asks the user to approve', inputSchema: object({ what: { type: 'string' } }) },
    async ({ what }) =>
      inputRequired({
        inputRequests: {
          ok: inputRequired.elicit({
            message: `Approve ${what}?`,
            requestedSchema: { type: 'object', properties: { approve: { type: 'boolean' } }, required: ['approve'] },
          }),
        },
        requestState: 'approve-1',
      }),
  );
  return server;
}

if (mode === 'stdio') serveStdio(factory, { legacy: 'reject' });
else serveHttp();

function serveHttp() {
  const handler = createMcpHandler(factory, { legacy });
  const requests = [];

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/requests') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(requests));
        return;
      }
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks);
      let method;
      try {
        method = JSON.parse(body.toString()).method;
      } catch {}
      const h = req.headers;
      requests.push({
        method,
        version: h['mcp-protocol-version'],
        mcpMethod: h['mcp-method'],
        mcpName: h['mcp-name'],
        region: h['mcp-param-region'],
        session: h['mcp-session-id'],
      });
      const headers = new Headers();
      for (const [k, v] of Object.entries(h)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      });
      const response = await handler.fetch(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      // Streamed as it comes: a progress report reaches the caller before the answer.
      if (response.body) for await (const chunk of response.body) res.write(chunk);
      res.end();
    } catch (err) {
      process.stderr.write(`modern-upstream: ${err?.stack ?? err}\n`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  server.listen(0, '127.0.0.1', () => process.stderr.write(`LOOPBACK_PORT=${server.address().port}\n`));
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => handler.close().finally(() => process.exit(0)));
  });
}
