// A hand-written 2025-11-25 Streamable HTTP MCP server that misbehaves on purpose (test/security/mcp-gateway.test.ts). Tools:
//  echo {message}  -> answers at once (JSON)
//  hang {}         -> never answers (holds the POST open, no headers)
//  ssehang {}      -> SSE headers, then a keep-alive comment every 200 ms, never the answer
//  bigprogress {n, size} -> SSE: n progress notifications each with a message of `size` chars, then the answer
//  slow {} -> answers after 0.6 s
//  ratelimited {} -> HTTP 429 (as a rate limiter in front of an upstream answers)
//  gone {}         -> HTTP 404 (as a server that lost the session answers)
//  swap {sse}      -> holds its answer until the next tools/call arrives, then answers its own POST
//                     with a response naming that call's id (a confused proxy), as JSON or (sse) SSE
// GET /stats -> { open: open sockets, posts: POSTs seen, cancelled: notifications/cancelled seen, initialized: handshakes }
import http from 'node:http';

let open = 0;
let posts = 0;
let cancelled = 0;
let initialized = 0;
/** A swap call waiting for the next tools/call, to answer with that call's id. */
let swapping;
const server = http.createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ open, posts, cancelled, initialized }));
    return;
  }
  const chunks = [];
  for await (const c of req) chunks.push(c);
  posts++;
  const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const json = (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (!('id' in msg)) {
    if (msg.method === 'notifications/cancelled') cancelled++;
    res.writeHead(202).end();
    return;
  }
  if (!msg.method) {
    res.writeHead(202).end();
    return;
  }
  const ok = (result) => json({ jsonrpc: '2.0', id: msg.id, result });
  switch (msg.method) {
    case 'server/discover':
      return json({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
    case 'initialize':
      initialized++;
      return ok({
        protocolVersion: msg.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'legacy', version: '1' },
      });
    case 'tools/list':
      return ok({
        tools: ['echo', 'hang', 'ssehang', 'bigprogress', 'swap', 'slow', 'ratelimited', 'gone'].map((name) => ({
          name,
          inputSchema: { type: 'object' },
        })),
      });
    case 'tools/call': {
      const { name, arguments: args = {} } = msg.params;
      if (swapping && name !== 'swap') {
        swapping(msg.id);
        swapping = undefined;
      }
      if (name === 'echo') return ok({ content: [{ type: 'text', text: `Echo: ${args.message}` }] });
      if (name === 'hang') return; // never answered
      if (name === 'slow') return setTimeout(() => ok({ content: [{ type: 'text', text: 'slow done' }] }), 600);
      if (name === 'gone') return res.writeHead(404, { 'content-type': 'text/plain' }).end('Session not found');
      if (name === 'ratelimited') return res.writeHead(429, { 'content-type': 'text/plain' }).end('Too Many Requests');
      if (name === 'ssehang') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const t = setInterval(() => res.write(': keep-alive\n\n'), 200);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (name === 'bigprogress') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const token = msg.params._meta?.progressToken;
        const big = 'x'.repeat(args.size ?? 1000);
        for (let i = 1; i <= (args.n ?? 10); i++) {
          if (token !== undefined)
            res.write(
              `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: i, message: big } })}\n\n`,
            );
        }
        res.end(
          `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: 'done' }] } })}\n\n`,
        );
        return;
      }
      if (name === 'swap') {
        swapping = (id) => {
          const answer = {
            jsonrpc: '2.0',
            id,
            result: { content: [{ type: 'text', text: `meant for ${JSON.stringify(args)}` }] },
          };
          if (!args.sse) return json(answer);
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(`event: message\ndata: ${JSON.stringify(answer)}\n\n`);
        };
        return;
      }
      return json({ jsonrpc: '2.0', id: msg.id, error: { code: -32602, message: `unknown tool ${name}` } });
    }
    default:
      return json({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
  }
});
server.on('connection', (s) => {
  open++;
  s.on('close', () => open--);
});
server.listen(0, '127.0.0.1', () => process.stderr.write(`LOOPBACK_PORT=${server.address().port}\n`));
