// AI SDK 7 (ai 7 + @ai-sdk/mcp 2 + @ai-sdk/openai 4) with @ai-sdk/otel as its telemetry: one
// generateText whose model calls a tool the agent gets from Fulcrum's /mcp, its spans exported to
// Fulcrum (test/mcp/clients.test.ts). Needs Node.js 22 or later.
//
//   env: OPENAI_BASE_URL (the tests' model), FULCRUM_MCP_URL, FULCRUM_OTLP_URL, FULCRUM_KEY
import { createMCPClient } from '@ai-sdk/mcp-v2';
import { createOpenAI } from '@ai-sdk/openai-v4';
import { OpenTelemetry } from '@ai-sdk/otel';
import { generateText, registerTelemetry, stepCountIs } from 'ai-v7';
import { exportToFulcrum } from '../../evidence/fixtures/export-to-fulcrum.mjs';

const auth = { authorization: `Bearer ${process.env.FULCRUM_KEY}` };
const provider = exportToFulcrum('support-ai-sdk-7-mcp');
registerTelemetry(new OpenTelemetry());

const mcp = await createMCPClient({ transport: { type: 'http', url: process.env.FULCRUM_MCP_URL, headers: auth } });
try {
  const tools = await mcp.tools();
  const model = createOpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: 'sk-local-test' }).chat('gpt-4o-mini');
  const result = await generateText({
    model,
    prompt: 'scenario:tools echo this',
    tools: { web_echo: tools.web_echo },
    stopWhen: stepCountIs(2),
    telemetry: { isEnabled: true, functionId: 'support' },
    maxRetries: 0,
  });
  process.stdout.write(`${JSON.stringify(result.steps[0]?.toolResults.map((r) => r.toolName))}\n`);
} finally {
  await mcp.close();
  await provider.forceFlush();
  await provider.shutdown();
}
