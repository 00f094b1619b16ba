// A broken MCP server on stdio: answers every line it reads with bytes that are not JSON-RPC.
import readline from 'node:readline';

readline.createInterface({ input: process.stdin }).on('line', () => {
  process.stdout.write('<html>this is not JSON-RPC</html>\n');
});
