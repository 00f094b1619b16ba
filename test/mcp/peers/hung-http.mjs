// A hung MCP server over HTTP: accepts connections and requests, never answers.
import http from 'node:http';

const server = http.createServer((req) => {
  req.resume();
});
server.listen(0, '127.0.0.1', () => process.stderr.write(`LOOPBACK_PORT=${server.address().port}\n`));
