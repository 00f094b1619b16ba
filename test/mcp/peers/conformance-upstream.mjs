// An MCP server over stdio with the tools @modelcontextprotocol/conformance's server scenarios call,
// built on the official SDK: the upstream behind /mcp when the conformance suite runs against it.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

// A 1×1 PNG and a minimal WAV header, base64.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=';

const RESULTS = {
  test_simple_text: { content: [{ type: 'text', text: 'This is a simple text response for testing.' }] },
  test_image_content: { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] },
  test_audio_content: { content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] },
  test_embedded_resource: {
    content: [
      {
        type: 'resource',
        resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
      },
    ],
  },
  test_multiple_content_types: {
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: '{"test":"data","value":123}' },
      },
    ],
  },
  test_error_handling: {
    isError: true,
    content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
  },
  json_schema_2020_12_tool: { content: [{ type: 'text', text: 'ok' }] },
  test_tool_with_progress: { content: [{ type: 'text', text: 'Progress test completed' }] },
  test_custom_headers: { content: [{ type: 'text', text: 'ok' }] },
};

const server = new Server({ name: 'conformance-upstream', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: Object.keys(RESULTS).map((name) => ({ name, description: name, inputSchema: { type: 'object' } })),
}));
server.setRequestHandler(CallToolRequestSchema, async ({ params }, extra) => {
  const result = RESULTS[params.name];
  if (!result) throw new Error(`unknown tool ${params.name}`);
  // As the scenario asks: 0, 50 and 100 of 100, ~50 ms apart, then the result at once.
  const token = params._meta?.progressToken;
  if (params.name === 'test_tool_with_progress' && token !== undefined)
    for (const progress of [0, 50, 100]) {
      if (progress > 0) await new Promise((r) => setTimeout(r, 50));
      await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total: 100 } });
    }
  return result;
});
await server.connect(new StdioServerTransport());
