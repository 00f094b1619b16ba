// The LLM gateway's record of a call in the plan's model mix, and the model it calls (found by review,
// each failing before its fix):
// - the model mix (model_tasks_daily, read by GET /v1/plan) counted the agent's own span of a gateway
//   call, a duplicate claiming 0 tokens, instead of the gateway's priced record: a task's model looked
//   free. Now the task's trace takes the gateway's figures, whichever record arrives first;
// - a client asking for claude-opus-4-5 (another model, a third of the price) was served claude-opus-4,
//   which it had registered: `-5` after a known name was read as a version of it.
import { beforeAll, describe, expect, it } from 'vitest';
import { costOf, PRICE, useLlmStack } from '../llm/fixture.js';
import { otlpExport } from '../support/otlp.js';
import { ADMIN_TOKEN } from '../support/server.js';
import { until } from '../support/wait.js';

const EXTRA = `
apiVersion: fulcrum/v1
kind: Model
metadata: { name: claude-opus-4 }
spec:
  provider: anthropic
  hosting: vendor
  regions: [eu-west-1]
  status: approved
  maxClassification: confidential
  pricing: [{ from: "2020-01-01", currency: USD, inputPerMillion: 15, outputPerMillion: 75 }]
  endpoint: anthropic-local
  maxOutputTokens: 1000
---
apiVersion: fulcrum/v1
kind: Archetype
metadata: { name: opus-caller }
spec:
  description: Calls Opus 4 through the gateway
  tools: []
  dataDomains: [customer-records]
  models: [claude-opus-4]
  autonomy: autonomous
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: opus-bot }
spec:
  initiative: support-deflection
  archetype: opus-caller
  owner: dana.lee
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: mix-bot }
spec:
  initiative: support-deflection
  archetype: llm-caller
  owner: dana.lee
---`;

describe('the LLM gateway in the model mix (sqlite)', () => {
  const llm = useLlmStack('sqlite', { scripted: true, extra: EXTRA });
  const keys: Record<string, string> = {};
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const post = (agent: string, path: string, body: unknown) =>
    fetch(`${llm.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys[agent]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    keys['llm-bot'] = llm.key;
    for (const a of ['opus-bot', 'mix-bot']) {
      const r = await llm.t.server.inject({ method: 'POST', url: `/v1/agents/${a}/keys`, headers: admin });
      expect(r.statusCode, r.body).toBe(201);
      keys[a] = r.json().key;
    }
  });

  it('answers 404 for a model id that only starts like a registered one, and calls nothing', async () => {
    const r = await post('opus-bot', '/llm/anthropic/v1/messages', {
      model: 'claude-opus-4-5-20251101',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const body = await r.text();
    expect({ status: r.status, forwarded: llm.sc.received.map((x) => x.body.model) }).toEqual({ status: 404, forwarded: [] });
    expect(body).toContain('model_not_found');
  });

  /** The upstream answers `id` with 1000 input and 100 output tokens. */
  const answerAs = (id: string) =>
    llm.sc.scripts.set('upstream-chat', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: 1,
          model: 'upstream-chat',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 },
        }),
      );
    });
  /**
   * mix-bot's own trace of a task: its invoke_agent span (resolved), and two records of call `id`
   * claiming 0 tokens, as two instrumentations make them: a framework's chat span and, within it, the
   * provider SDK's, which names the model as the provider answered it (the upstream's id).
   */
  const sendTask = async (trace: string, id: string) => {
    const now = Date.now();
    const chat = (spanId: string, parentSpanId: string, startMs: number, endMs: number, model?: string) => ({
      traceId: trace,
      spanId,
      parentSpanId,
      name: 'chat gw-chat',
      startMs,
      endMs,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gw-chat',
        ...(model ? { 'gen_ai.response.model': model } : {}),
        'gen_ai.response.id': id,
        'gen_ai.usage.input_tokens': 0,
        'gen_ai.usage.output_tokens': 0,
      },
    });
    const sent = await llm.t.server.inject({
      method: 'POST',
      url: '/otlp/v1/traces',
      headers: { authorization: `Bearer ${keys['mix-bot']}` },
      payload: otlpExport([
        {
          traceId: trace,
          spanId: '1'.repeat(16),
          name: 'invoke_agent mix-bot',
          startMs: now - 2000,
          endMs: now,
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'resolved' },
        },
        chat('3'.repeat(16), '2'.repeat(16), now - 1450, now - 1050, 'upstream-chat'),
        chat('2'.repeat(16), '1'.repeat(16), now - 1500, now - 1000),
      ]),
    });
    expect(sent.statusCode, sent.body).toBe(200);
  };
  const call = async () => {
    const r = await post('mix-bot', '/llm/openai/v1/chat/completions', {
      model: 'gw-chat',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(r.status).toBe(200);
    await llm.t.server.llmGateway.flush();
  };
  const gatewayRecords = async () =>
    (
      await llm.t.app.database.db
        .selectFrom('spans')
        .select('span_id')
        .where('agent', '=', 'mix-bot')
        .where('source', '=', 'llm')
        .execute()
    ).length;
  // Rows a trace moved away from stay, at zero.
  const mix = () =>
    llm.t.app.database.db
      .selectFrom('model_tasks_daily')
      .selectAll()
      .where('agent', '=', 'mix-bot')
      .where('tasks', '>', 0)
      .execute();
  const cost = async () =>
    Number(
      (
        await llm.t.app.database.db
          .selectFrom('evidence_daily')
          .select((eb) => [eb.fn.sum<number>('cost_measured_usd').as('cost')])
          .where('agent', '=', 'mix-bot')
          .executeTakeFirstOrThrow()
      ).cost ?? 0,
    );

  // Found by review, each failing before its fix: the two client records of a gateway call both took
  // the gateway's figures (the call counted twice); and with the client's records first, the trace
  // named the upstream's model and then the gateway's, and was booked as mixed.
  it("prices a task's model call by the gateway's record, once, on the gateway's Model, whichever arrives first", async () => {
    const each = costOf({ input: 1000, output: 100 });
    expect(PRICE.input).toBe(1);
    // The gateway's record first, then the agent's trace of the task.
    answerAs('chatcmpl-mix-1');
    await call();
    await until(async () => (await gatewayRecords()) === 1, "the gateway's record stored");
    await sendTask('e'.repeat(32), 'chatcmpl-mix-1');
    expect(await cost()).toBeCloseTo(each, 12);
    let rows = await mix();
    expect(rows).toEqual([
      expect.objectContaining({ model: 'gw-chat', tasks: 1, resolved: 1, calls: 1, input_tokens: 1000, output_tokens: 100 }),
    ]);
    expect(Number(rows[0]?.cost_usd)).toBeCloseTo(each, 12);
    // The agent's trace first (its span sent while the call was still open), then the gateway's record.
    await sendTask('f'.repeat(32), 'chatcmpl-mix-2');
    answerAs('chatcmpl-mix-2');
    await call();
    await until(async () => (await gatewayRecords()) === 2, 'the second gateway record stored');
    expect(await cost()).toBeCloseTo(2 * each, 12);
    rows = await mix();
    expect(rows).toEqual([
      expect.objectContaining({ model: 'gw-chat', tasks: 2, resolved: 2, calls: 2, input_tokens: 2000, output_tokens: 200 }),
    ]);
    expect(Number(rows[0]?.cost_usd)).toBeCloseTo(2 * each, 12);
  });
});
