// An MCP server over stdio whose one tool, `env`, answers with its own process environment, so a
// test can see exactly what Fulcrum hands a child it starts.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const server = new McpServer({ name: 'env-reporter', version: '1' });
server.registerTool('env', { description: 'this process environment' }, async () => ({
  content: [{ type: 'text', text: JSON.stringify({ env: process.env, cwd: process.cwd() }) }],
}));
await server.connect(new StdioServerTransport());
