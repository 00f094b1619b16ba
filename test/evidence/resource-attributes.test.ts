// Span attributes win over resource attributes (docs/evidence.md), whichever of a meaning's names
// each uses: a collector forwarding a process whose resource names one agent (gen_ai.agent.name, as
// the docs advise) books a span that names another (OpenInference's agent.name) to the span's agent,
// and a span's own model and token counts are the ones priced.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { otlpExport } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const TRACE = '9d8efff798038103d269b633813fc60c';

describe.each(ENGINES)('resource and span attributes on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    const bot = await t.request({
      method: 'PUT',
      url: '/v1/agents/claims-bot',
      payload: { spec: { initiative: 'support-deflection', owner: 'omar.owner' } },
    });
    expect(bot.statusCode, bot.body).toBe(201);
    const put = await t.request({
      method: 'PUT',
      url: '/v1/telemetry-collectors/otel-gateway',
      payload: { spec: { owner: 'omar.owner', agents: ['support-bot-eu', 'claims-bot'] } },
    });
    expect(put.statusCode, put.body).toBe(201);
    key = (await t.request({ method: 'POST', url: '/v1/telemetry-collectors/otel-gateway/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  it("books and prices a span by its own attributes, not its resource's other names for them", async () => {
    const start = Date.now() - 60_000;
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpExport(
        [
          {
            traceId: TRACE,
            spanId: 'c000000000000001',
            name: 'ChatCompletion',
            startMs: start,
            endMs: start + 1000,
            attributes: {
              'openinference.span.kind': 'LLM',
              'agent.name': 'claims-bot',
              'llm.model_name': 'gpt-4o-mini',
              'llm.token_count.prompt': 1_000_000,
              'llm.token_count.completion': 0,
            },
          },
        ],
        {
          'service.name': 'cx-agents',
          'gen_ai.agent.name': 'support-bot-eu',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': '5',
        },
      ),
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await t.app.database.db.selectFrom('spans').select(['agent', 'model', 'input_tokens', 'cost_usd']).execute();
    expect(rows).toEqual([{ agent: 'claims-bot', model: 'gpt-4o-mini', input_tokens: 1_000_000, cost_usd: expect.any(Number) }]);
    expect(rows[0]?.cost_usd).toBeCloseTo(0.15, 9);
  });
});
