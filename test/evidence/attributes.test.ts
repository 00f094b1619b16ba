// Every attribute family the common GenAI instrumentations send maps to one meaning (docs/evidence.md
// "What Fulcrum reads"), numbers sent as strings are parsed within bounds, model ids resolve to
// registry Models by name or alias (src/registry/model-names.ts), and an alias names one Model only.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInference, mapTraceRequest } from '../../src/evidence/otlp.js';
import { RegistrySnapshot } from '../../src/registry/model.js';
import { resolveModelName } from '../../src/registry/model-names.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { otlpAttributes, spansExport } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

function map(attributes: Record<string, string | number>, resource: Record<string, string> = {}) {
  const { spans, rejected } = mapTraceRequest({
    resourceSpans: [
      {
        resource: { attributes: otlpAttributes(resource) },
        scopeSpans: [
          {
            spans: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: 'b7ad6b7169203331',
                name: 'span',
                startTimeUnixNano: '1764324000000000000',
                endTimeUnixNano: '1764324001000000000',
                attributes: otlpAttributes(attributes),
              },
            ],
          },
        ],
      },
    ],
  });
  const span = spans[0];
  if (!span) throw new Error(rejected[0]?.reason ?? 'no span');
  return span;
}

describe('the span mapper reads every GenAI attribute family', () => {
  it('OpenTelemetry GenAI, current names', () => {
    expect(
      map({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 200,
        'gen_ai.usage.cache_read.input_tokens': 300,
      }),
    ).toMatchObject({
      operation: 'chat',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      inputTokens: 1000,
      outputTokens: 200,
      cachedTokens: 300,
      understood: true,
    });
  });

  it('OpenTelemetry GenAI, deprecated names: gen_ai.system, prompt/completion tokens, cache_read_input_tokens', () => {
    expect(
      map({
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4',
        'gen_ai.usage.prompt_tokens': 10,
        'gen_ai.usage.completion_tokens': 5,
        'gen_ai.usage.cache_read_input_tokens': 4,
      }),
    ).toMatchObject({
      operation: null,
      provider: 'anthropic',
      model: 'claude-sonnet-4',
      inputTokens: 10,
      outputTokens: 5,
      cachedTokens: 4,
    });
    // gen_ai.provider.name wins over the deprecated gen_ai.system.
    expect(map({ 'gen_ai.provider.name': 'aws.bedrock', 'gen_ai.system': 'anthropic' }).provider).toBe('aws.bedrock');
  });

  it('semantic-conventions-genai v0.1.0: an internal invoke_agent span (no provider) and a workflow', () => {
    expect(map({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support-bot-eu' })).toMatchObject({
      operation: 'invoke_agent',
      agentName: 'support-bot-eu',
      provider: null,
      understood: true,
    });
    expect(map({ 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'refunds' })).toMatchObject({
      operation: 'invoke_workflow',
      agentName: 'refunds',
      workflow: 'refunds',
    });
    // An agent's own name wins over the workflow it runs in.
    expect(map({ 'gen_ai.workflow.name': 'refunds', 'gen_ai.agent.name': 'support-bot-eu' }).agentName).toBe('support-bot-eu');
  });

  it('OpenInference: llm.* and openinference.span.kind', () => {
    expect(
      map({
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-4o-mini-2024-07-18',
        'llm.provider': 'openai',
        'llm.token_count.prompt': 1000,
        'llm.token_count.completion': 200,
        'llm.token_count.prompt_details.cache_read': 600,
      }),
    ).toMatchObject({
      operation: 'chat',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      inputTokens: 1000,
      outputTokens: 200,
      cachedTokens: 600,
    });
    expect(map({ 'openinference.span.kind': 'TOOL', 'tool.name': 'crm.lookup' })).toMatchObject({
      operation: 'execute_tool',
      tool: 'crm.lookup',
    });
    expect(map({ 'openinference.span.kind': 'AGENT', 'agent.name': 'support-bot-eu' })).toMatchObject({
      operation: 'invoke_agent',
      agentName: 'support-bot-eu',
    });
    expect(map({ 'openinference.span.kind': 'EMBEDDING', 'embedding.model_name': 'text-embedding-3-small' })).toMatchObject({
      operation: 'embeddings',
      model: 'text-embedding-3-small',
    });
    // A chain is no model call, even with a model named on it.
    expect(map({ 'openinference.span.kind': 'CHAIN' })).toMatchObject({ operation: null, understood: false });
    // OpenInference has no response id attribute: the id is read from the answer it keeps.
    const llm = (output: string, mime = 'application/json') =>
      map({
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-4o-mini',
        'output.value': output,
        'output.mime_type': mime,
      });
    expect(llm('{"id":"chatcmpl-1","object":"chat.completion"}').responseId).toBe('chatcmpl-1');
    expect(llm('{"generations":[[{"message":{"kwargs":{"id":"chatcmpl-2"}}}]]}').responseId).toBe('chatcmpl-2');
    // Not an id: text, another shape, broken JSON, an id holding a NUL (a NUL in the answer refuses nothing).
    expect(llm('{"id":"chatcmpl-3"}', 'text/plain').responseId).toBeNull();
    for (const output of [
      '{"id":5}',
      '{"generations":[{"message":{}}]}',
      '{"generations":[[null]]}',
      '{"id":',
      '{"id":"a\\u0000b"}',
    ])
      expect(llm(output).responseId, output).toBeNull();
    expect(llm('{"id":"chatcmpl-4","text":"a\\u0000b"}').responseId).toBe('chatcmpl-4');
    expect(llm('{"id":"chatcmpl-5","text":"a\u0000b"}')).toMatchObject({ operation: 'chat', responseId: null });
    // Nested deeper than a JSON body may be: not parsed (4 million levels took ~3 s).
    expect(llm(`{"id":"chatcmpl-6","a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`).responseId).toBeNull();
    // A span whose own attributes say nothing of OpenInference reads no answer.
    expect(
      map({ 'gen_ai.operation.name': 'chat', 'output.value': '{"id":"x"}', 'output.mime_type': 'application/json' }).responseId,
    ).toBeNull();
    // As OpenInference's span processor for the AI SDK labels ai.embed (found by attack: counted as a call).
    const chain = map({
      'openinference.span.kind': 'CHAIN',
      'llm.model_name': 'text-embedding-3-small',
      'llm.token_count.prompt': 7,
    });
    expect(chain).toMatchObject({ operation: null, model: null, inputTokens: 7 });
    expect(isInference(chain)).toBe(false);
  });

  it('the AI SDK: steps are model calls (with their cache fields), the outer span is not, tool calls are', () => {
    const step = map({
      'ai.operationId': 'ai.generateText.doGenerate',
      'gen_ai.system': 'openai.chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'ai.usage.inputTokens': 2000,
      'ai.usage.outputTokens': 100,
      'ai.usage.inputTokenDetails.cacheReadTokens': 1500,
    });
    expect(step).toMatchObject({ operation: 'chat', inputTokens: 2000, outputTokens: 100, cachedTokens: 1500 });
    expect(map({ 'ai.operationId': 'ai.streamText.doStream', 'ai.usage.cachedInputTokens': 7 })).toMatchObject({
      operation: 'chat',
      cachedTokens: 7,
    });
    const outer = map({ 'ai.operationId': 'ai.generateText', 'ai.model.id': 'gpt-4o-mini', 'ai.usage.inputTokens': 2000 });
    expect(outer).toMatchObject({ operation: null, model: null });
    expect(map({ 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'lookup_customer' })).toMatchObject({
      operation: 'execute_tool',
      tool: 'lookup_customer',
    });
    expect(map({ 'ai.operationId': 'ai.embedMany.doEmbed' }).operation).toBe('embeddings');
  });

  it("Traceloop's span kinds and MCP's tools/call", () => {
    expect(map({ 'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'lookup' })).toMatchObject({
      operation: 'execute_tool',
      tool: 'lookup',
    });
    expect(map({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'crm_lookup' })).toMatchObject({
      operation: 'execute_tool',
      tool: 'crm_lookup',
    });
  });

  it('parses numbers sent as strings or doubles, within bounds, and rejects the rest naming the attribute', () => {
    expect(
      map({ 'gen_ai.usage.input_tokens': '1000', 'llm.token_count.completion': ' 20 ', 'ai.usage.cachedInputTokens': 3.0 }),
    ).toMatchObject({
      inputTokens: 1000,
      outputTokens: 20,
      cachedTokens: 3,
    });
    expect(map({ 'gen_ai.usage.input_tokens': '2147483647' }).inputTokens).toBe(2 ** 31 - 1);
    for (const [key, bad] of [
      ['gen_ai.usage.input_tokens', '2147483648'],
      ['llm.token_count.prompt', 'lots'],
      ['ai.usage.outputTokens', -5],
      ['gen_ai.usage.cache_read_input_tokens', 1e308],
      ['llm.token_count.prompt_details.cache_read', 2.5],
      ['gen_ai.usage.output_tokens', '1e3'],
    ] as const)
      expect(() => map({ [key]: bad }), key).toThrow(new RegExp(key.replaceAll('.', '\\.')));
  });

  it('reads resource attributes too, span attributes winning', () => {
    expect(map({ 'llm.model_name': 'a' }, { 'llm.model_name': 'b', 'gen_ai.agent.name': 'bot' })).toMatchObject({
      model: 'a',
      agentName: 'bot',
    });
  });

  it('marks a span that carries nothing Fulcrum reads', () => {
    expect(map({ 'http.request.method': 'GET' }, { 'gen_ai.agent.name': 'bot' }).understood).toBe(false);
  });
});

describe('model ids resolve to registry Models by name or alias', () => {
  const model = (name: string, aliases?: string[]) => ({
    kind: 'Model' as const,
    name,
    labels: {},
    spec: {
      provider: 'x',
      hosting: 'vendor' as const,
      regions: [],
      status: 'approved' as const,
      maxClassification: 'internal' as const,
      pricing: [],
      ...(aliases ? { aliases } : {}),
    },
  });
  const registry = new RegistrySnapshot([
    model('gpt-4o-mini'),
    model('gpt-4o'),
    model('claude-sonnet-4', ['anthropic.claude-sonnet-4-20250514-v1:0', 'sonnet-prod']),
  ]);

  it.each([
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['GPT-4o-Mini', 'gpt-4o-mini'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['openai/gpt-4o', 'gpt-4o'],
    ['anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['eu.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['bedrock/eu.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['sonnet-prod', 'claude-sonnet-4'],
    ['claude-sonnet-4@20250514', 'claude-sonnet-4'],
    ['gpt-4o-latest', 'gpt-4o'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['eu.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['gpt-4o-0613', 'gpt-4o'],
    ['gpt-4o-002', 'gpt-4o'],
    ['gpt-4o:latest', 'gpt-4o'],
  ])('%s → %s', (id, name) => {
    expect(resolveModelName(registry, id)).toBe(name);
  });

  // gpt-4o-audio is no version of gpt-4o: priced as one, it would be a wrong price that looks right.
  // Nor is another number one (found by review): claude-sonnet-4-5 is another model than
  // claude-sonnet-4, a size tag (:70b) another model, a snapshot followed by a word another model.
  it.each([
    'gpt-4',
    'mystery-llm',
    'gpt-4o-minis',
    'gpt-4o-audio',
    '',
    'x'.repeat(300),
    'claude-sonnet-4-5',
    'claude-sonnet-4-5-20250929',
    'claude-sonnet-4-1',
    'gpt-4o-0125-preview',
    'gpt-4o-32k-0613',
    'gpt-4o:70b',
    'gpt-4o:0',
    'gpt-4o-v2',
    'gpt-4o-2024-08-06-audio',
    'gpt-4o-20250514-extra',
  ])('%s → none', (id) => {
    expect(resolveModelName(registry, id)).toBeUndefined();
  });
});

describe.each(ENGINES)('Model aliases on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
  });
  afterAll(async () => t?.close());

  const modelYaml = (name: string, aliases: string[]) =>
    `apiVersion: fulcrum/v1
kind: Model
metadata: { name: ${name} }
spec:
  provider: anthropic
  hosting: vendor
  regions: [eu-west-1]
  status: approved
  maxClassification: internal
  aliases: [${aliases.map((a) => JSON.stringify(a)).join(', ')}]
  pricing:
    - { from: "2026-01-01", currency: USD, inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3, cacheWriteInputPerMillion: 6 }
`;

  it('refuses an alias that is another Model’s name or alias, naming both', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: {
        files: [
          { path: 'a.yaml', content: modelYaml('claude-sonnet-4', ['anthropic.claude-sonnet-4-20250514-v1:0']) },
          {
            path: 'b.yaml',
            content: modelYaml('claude-sonnet-4-copy', ['ANTHROPIC.claude-sonnet-4-20250514-v1:0', 'gpt-4o-mini']),
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.body).toContain(
      'alias \\"ANTHROPIC.claude-sonnet-4-20250514-v1:0\\" of Model claude-sonnet-4-copy is already Model claude-sonnet-4',
    );
    expect(res.body).toContain('alias \\"gpt-4o-mini\\" of Model claude-sonnet-4-copy is already Model gpt-4o-mini');
  });

  it('prices a Bedrock model id through the alias', async () => {
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: {
        files: [{ path: 'a.yaml', content: modelYaml('claude-sonnet-4', ['anthropic.claude-sonnet-4-20250514-v1:0']) }],
      },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    const start = BigInt(Date.now() - 5000) * 1_000_000n;
    const span = (
      spanId: string,
      model: string,
      more: Array<{ key: string; value: { intValue: number } | { stringValue: string } }> = [],
    ) => ({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId,
      name: 'chat',
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 1_000_000_000n),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.provider.name', value: { stringValue: 'aws.bedrock' } },
        { key: 'gen_ai.request.model', value: { stringValue: model } },
        { key: 'gen_ai.usage.input_tokens', value: { stringValue: '1000000' } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: 100000 } },
        ...more,
      ],
    });
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: spansExport([
        span('00000000000000a1', 'eu.anthropic.claude-sonnet-4-20250514-v1:0'),
        span('00000000000000a2', 'anthropic.claude-sonnet-4-20250514-v1:0'),
        // Half the input written to the prompt cache: that half at the cache-write price.
        span('00000000000000a3', 'anthropic.claude-sonnet-4-20250514-v1:0', [
          { key: 'gen_ai.usage.cache_creation.input_tokens', value: { intValue: 500000 } },
        ]),
        // Cache counts above the input: reported apart from it (Anthropic's usage), so added.
        span('00000000000000a4', 'anthropic.claude-sonnet-4-20250514-v1:0', [
          { key: 'gen_ai.usage.cache_creation.input_tokens', value: { intValue: 2000000 } },
        ]),
        // Billed at a tier above the price (the semantic conventions' attribute, and its older name).
        span('00000000000000a5', 'anthropic.claude-sonnet-4-20250514-v1:0', [
          { key: 'openai.response.service_tier', value: { stringValue: 'priority' } },
        ]),
        span('00000000000000a6', 'anthropic.claude-sonnet-4-20250514-v1:0', [
          { key: 'gen_ai.openai.response.service_tier', value: { stringValue: 'scale' } },
        ]),
        span('00000000000000a7', 'anthropic.claude-sonnet-4-20250514-v1:0', [
          { key: 'openai.response.service_tier', value: { stringValue: 'default' } },
        ]),
      ]),
    });
    expect(res.json()).toEqual({});
    const rows = await t.app.database.db.selectFrom('spans').selectAll().where('model', '=', 'claude-sonnet-4').execute();
    expect(rows).toHaveLength(7);
    const cost = Object.fromEntries(rows.map((r) => [r.span_id, r.cost_usd]));
    const why = Object.fromEntries(rows.map((r) => [r.span_id, r.unpriced_reason]));
    expect([cost['00000000000000a5'], why['00000000000000a5']]).toEqual([null, 'service_tier']);
    expect([cost['00000000000000a6'], why['00000000000000a6']]).toEqual([null, 'service_tier']);
    expect(cost['00000000000000a7']).toBeCloseTo(3 + 1.5, 9);
    expect(cost['00000000000000a1']).toBeCloseTo(3 + 1.5, 9);
    expect(cost['00000000000000a2']).toBeCloseTo(3 + 1.5, 9);
    expect(cost['00000000000000a3']).toBeCloseTo(1.5 + 3 + 1.5, 9);
    expect(cost['00000000000000a4']).toBeCloseTo(3 + 12 + 1.5, 9);
  });
});
