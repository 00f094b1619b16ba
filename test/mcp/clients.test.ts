// The clients agents are built on, against /mcp: the official SDK clients v1 (2025-11-25) and v2 (pinned
// to 2026-07-28, and in its default mode), LangChain's MCP adapters and the AI SDK's MCP client. Each
// lists tools (every name one a model API accepts), calls one, is refused one, and finishes an
// approval-gated call the way an LLM-driven agent would: its first wait runs out, a person approves,
// and the model simply calls the tool again, with nothing extra, and exactly one approval is queued.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createMCPClient } from '@ai-sdk/mcp';
import { createOpenAI } from '@ai-sdk/openai';
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MCPServerStreamableHttp } from '@openai/agents-core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { generateText, stepCountIs } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiServer } from '../evidence/fixtures/openai-server.js';
import { CHILD_NODE, CHILD_NODE_MAJOR } from '../support/process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { gatewayBundle } from './fixture.js';
import { operatorAllows, type Peer, startEverythingHttp } from './peers.js';

const exec = promisify(execFile);
/** What a test needs from a client: its tool names, and a call's outcome as text. */
interface Driver {
  names(): Promise<string[]>;
  call(name: string, args: Record<string, unknown>): Promise<{ isError: boolean; text: string }>;
  /** The protocol version it ended up speaking, where the client says. */
  version?(): string | undefined;
  close(): Promise<void>;
}

type Result = { isError?: boolean; content: Array<{ type: string; text?: string }> };
const outcome = (r: Result) => ({ isError: r.isError === true, text: r.content.map((c) => c.text ?? '').join('\n') });

const CLIENTS: Record<string, (url: string, key: string) => Promise<Driver>> = {
  'SDK v1 (2025-11-25)': async (url, key) => {
    const c = new ClientV1({ name: 'v1', version: '1' });
    await c.connect(new TransportV1(new URL(url), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    return {
      names: async () => (await c.listTools()).tools.map((t) => t.name),
      call: async (name, args) => outcome((await c.callTool({ name, arguments: args })) as Result),
      version: () => c.transport && (c.transport as TransportV1).protocolVersion,
      close: () => c.close(),
    };
  },
  ...Object.fromEntries(
    (
      [
        ['SDK v2 pinned to 2026-07-28', { pin: '2026-07-28' }],
        ['SDK v2 auto', 'auto'],
        ['SDK v2 default mode', undefined],
      ] as const
    ).map(([label, mode]) => [
      label,
      async (url: string, key: string): Promise<Driver> => {
        const c = new ClientV2({ name: 'v2', version: '2' }, mode ? { versionNegotiation: { mode } } : {});
        await c.connect(new TransportV2(new URL(url), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
        return {
          names: async () => (await c.listTools()).tools.map((t) => t.name),
          call: async (name, args) => outcome((await c.callTool({ name, arguments: args })) as Result),
          version: () => c.getNegotiatedProtocolVersion(),
          close: () => c.close(),
        };
      },
    ]),
  ),
  'LangChain MCP adapters': async (url, key) => {
    const c = new MultiServerMCPClient({
      mcpServers: { fulcrum: { transport: 'http', url, headers: { authorization: `Bearer ${key}` } } },
      useStandardContentBlocks: true,
    });
    const tools = await c.getTools();
    return {
      names: async () => tools.map((t) => t.name),
      // A tool error reaches a LangChain agent as a ToolException, whose message the model reads.
      call: async (name, args) => {
        const tool = tools.find((t) => t.name === name);
        if (!tool) throw new Error(`LangChain has no tool ${name}`);
        try {
          // Standard content blocks: one block, or several, each with its text.
          const r = (await tool.invoke(args)) as unknown;
          const blocks = (Array.isArray(r) ? r : [r]) as Array<string | { text?: string }>;
          return { isError: false, text: blocks.map((b) => (typeof b === 'string' ? b : (b.text ?? ''))).join('\n') };
        } catch (err) {
          if ((err as Error).name !== 'ToolException') throw err;
          return { isError: true, text: (err as Error).message };
        }
      },
      close: () => c.close(),
    };
  },
  // OpenAI Agents JS: the SDK 2.x client in auto mode underneath, so 2026-07-28 once /mcp answers its probe.
  'OpenAI Agents JS': async (url, key) => {
    const server = new MCPServerStreamableHttp({ url, requestInit: { headers: { authorization: `Bearer ${key}` } } });
    await server.connect();
    return {
      names: async () => (await server.listTools()).map((t) => t.name),
      call: async (name, args) => outcome((await server.callToolResult(name, args)) as Result),
      close: () => server.close(),
    };
  },
  'AI SDK MCP client': async (url, key) => {
    const c = await createMCPClient({ transport: { type: 'http', url, headers: { authorization: `Bearer ${key}` } } });
    const tools = await c.tools();
    return {
      names: async () => Object.keys(tools),
      call: async (name, args) => {
        const tool = tools[name];
        if (!tool?.execute) throw new Error(`the AI SDK has no tool ${name}`);
        const r = (await tool.execute(args, { toolCallId: 'call-1', messages: [] })) as Result;
        return outcome(r);
      },
      close: () => c.close(),
    };
  },
};

describe('MCP clients agents are built on, against /mcp', () => {
  let t: TestServer;
  let upstream: Peer;
  let url: string;
  let key: string;

  beforeAll(async () => {
    upstream = await startEverythingHttp();
    t = await startTestServer('sqlite', operatorAllows());
    const noPasswords = `---
apiVersion: fulcrum/v1
kind: Policy
metadata: { name: no-passwords }
spec:
  description: Passwords are never echoed
  cedar: |
    forbid (principal, action == Action::"web.echo", resource) when { context.arguments.message like "*password*" };
`;
    const files = gatewayBundle(upstream.url, noPasswords, { httpApprovalWaitSeconds: 1 });
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/mcp-bot/keys' })).json().key;
    url = `${await t.server.listen({ host: '127.0.0.1', port: 0 })}/mcp`;
  });
  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
  });

  const pendingFor = async (a: number) =>
    (
      (await t.request({ method: 'GET', url: '/v1/approvals?status=pending&limit=500' })).json().items as Array<{
        id: string;
        arguments: { a?: number };
      }>
    ).filter((p) => p.arguments.a === a);

  // One tool call, one count (docs/evidence.md): the AI SDK's MCP client sends no trace context, so
  // the gateway's record and the SDK's own span of the call are paired by agent, Tool and time.
  /** The two records of the call since `since`: the gateway's and the client's, one of them counted. */
  const expectOneCount = async (since: string) => {
    const records = async () =>
      t.app.database.db
        .selectFrom('spans')
        .select(['source', 'tool', 'duplicate'])
        .where('agent', '=', 'mcp-bot')
        .where('operation', '=', 'execute_tool')
        .where('start_at', '>=', since)
        .orderBy('seq')
        .execute();
    // Both records of the call arrive (the gateway writes its own within 50 ms).
    await expect.poll(async () => (await records()).length, { timeout: 10_000 }).toBe(2);
    const rows = await records();
    expect(rows.map((r) => r.tool)).toEqual(['web.echo', 'web.echo']);
    expect(rows.filter((r) => r.duplicate === 0)).toHaveLength(1);
  };

  it('the AI SDK 6 calling a tool through /mcp, with its telemetry exported to Fulcrum, counts the call once', async () => {
    const openai = await startOpenAiServer();
    const base = url.replace(/\/mcp$/, '');
    const provider = new NodeTracerProvider({
      spanProcessors: [
        new SimpleSpanProcessor(
          new OTLPTraceExporter({ url: `${base}/otlp/v1/traces`, headers: { Authorization: `Bearer ${key}` } }),
        ),
      ],
    });
    const mcp = await createMCPClient({ transport: { type: 'http', url, headers: { authorization: `Bearer ${key}` } } });
    const since = new Date().toISOString(); // both records start after this (same clock)
    try {
      const tools = await mcp.tools();
      const model = createOpenAI({ baseURL: openai.url, apiKey: 'sk-local-test' }).chat('gpt-4o-mini');
      const result = await generateText({
        model,
        prompt: 'scenario:tools echo this',
        tools: { web_echo: tools.web_echo as NonNullable<(typeof tools)[string]> },
        stopWhen: stepCountIs(2),
        experimental_telemetry: { isEnabled: true, tracer: provider.getTracer('ai') },
        maxRetries: 0,
      });
      expect(result.steps[0]?.toolResults.map((r) => r.toolName)).toEqual(['web_echo']);
      await provider.forceFlush();
    } finally {
      await mcp.close();
      await provider.shutdown();
      await openai.close();
    }
    await expectOneCount(since);
  });

  // AI SDK 7 needs Node.js 22: it runs in the suite's Node 24 run (or with FULCRUM_TEST_CHILD_NODE).
  (CHILD_NODE_MAJOR >= 22 ? it : it.skip)(
    'the AI SDK 7 with @ai-sdk/otel calling a tool through /mcp counts the call once',
    async () => {
      const openai = await startOpenAiServer();
      const since = new Date().toISOString(); // both records start after this (same clock)
      try {
        const { stdout } = await exec(CHILD_NODE, [path.join(import.meta.dirname, 'peers/ai-sdk7-mcp.mjs')], {
          env: {
            ...process.env,
            OPENAI_BASE_URL: openai.url,
            FULCRUM_MCP_URL: url,
            FULCRUM_OTLP_URL: `${url.replace(/\/mcp$/, '')}/otlp/v1/traces`,
            FULCRUM_KEY: key,
          },
          timeout: 60_000,
        });
        expect(JSON.parse(stdout)).toEqual(['web_echo']);
      } finally {
        await openai.close();
      }
      await expectOneCount(since);
    },
    90_000,
  );

  let sum = 1000;
  describe.each(Object.keys(CLIENTS))('%s', (label) => {
    let client: Driver;
    beforeAll(async () => {
      client = await (CLIENTS[label] as (typeof CLIENTS)[string])(url, key);
    });
    afterAll(async () => {
      await client?.close();
    });

    it('lists the tools the agent may call, under names a model API accepts', async () => {
      const names = await client.names();
      expect(names.sort()).toEqual(['ev_echo', 'ev_get-sum', 'ev_trigger-long-running-operation', 'web_echo', 'web_get-sum']);
      for (const n of names) expect(n).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      if (label.includes('2026-07-28') || label.includes('auto')) expect(client.version?.()).toBe('2026-07-28');
    });

    it('calls a tool, and hears a refusal as a tool error naming the policy', async () => {
      expect(await client.call('web_echo', { message: `hi ${label}` })).toEqual({ isError: false, text: `Echo: hi ${label}` });
      const refused = await client.call('web_echo', { message: 'my password is hunter2' });
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(/Fulcrum refused web\.echo: no-passwords \(Passwords are never echoed\)/);
    });

    it('finishes an approval-gated call with a plain retry once a person approves, with one approval queued', async () => {
      const a = ++sum;
      const first = await client.call('web_get-sum', { a, b: 1 });
      expect(first.isError).toBe(true);
      expect(first.text).toMatch(/still pending after waiting 1 s.*Call this tool again with the same arguments/s);
      const again = await client.call('web_get-sum', { a, b: 1 });
      expect(again.text).toMatch(/still pending/);
      const queued = await pendingFor(a);
      expect(queued).toHaveLength(1);
      const approved = await t.request({ method: 'POST', url: `/v1/approvals/${queued[0]?.id}/approve`, payload: {} });
      expect(approved.statusCode, approved.body).toBe(200);
      const done = await client.call('web_get-sum', { a, b: 1 });
      expect(done.isError, done.text).toBe(false);
      expect(done.text).toContain(String(a + 1));
      expect(await pendingFor(a)).toHaveLength(0);
    });
  });
});
