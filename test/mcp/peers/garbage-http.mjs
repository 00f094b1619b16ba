// A broken MCP server over HTTP: answers every request 200 with a body that is not JSON-RPC.
import http from 'node:http';

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"jsonrpc": "2.0", "result": not json at all');
  });
});
server.listen(0, '127.0.0.1', () => process.stderr.write(`LOOPBACK_PORT=${server.address().port}\n`));
