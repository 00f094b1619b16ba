// A gateway record a client's span matched by response id is that call's, and is marked paired
// (`spans.paired`) as a record held by time is: a later span without id (a direct streamed call of the
// same model at the same moment) no longer takes it for its own, and counts as the call it is, in both
// orders of arrival (docs/llm-gateway.md, "Evidence"). The record stayed free, the direct call's span
// became its second duplicate, and the agent's calls counted one fewer.
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { until } from '../support/wait.js';
import { clientChatSpan, useLlmStack } from './fixture.js';

describe.each(ENGINES)('a record matched by response id, and a direct call beside it (%s)', (engine) => {
  const llm = useLlmStack(engine, { each: true });

  const db = () => llm.t.app.database.db;
  const records = () => db().selectFrom('spans').selectAll().where('source', '=', 'llm').execute();
  /** A gateway call without trace context: its record, flushed, and the answer's response id. */
  async function gatewayCall() {
    const r = await llm.t.request({
      method: 'POST',
      url: '/llm/openai/v1/chat/completions',
      token: llm.key,
      payload: { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().id as string;
  }
  async function flushed() {
    await until(async () => {
      await llm.t.server.llmGateway.flush();
      return (await records()).length === 1;
    }, 'the call’s record');
    return (await records())[0];
  }
  async function send(body: object) {
    const r = await llm.t.request({ method: 'POST', url: '/otlp/v1/traces', token: llm.key, payload: body });
    expect(r.statusCode, r.body).toBe(200);
  }
  /** A direct streamed call's span (OpenInference's: no id, no usage) from `startMs` to now. */
  const directSpan = (startMs: number) =>
    otlpExport([
      {
        traceId: 'e'.repeat(32),
        spanId: 'e'.repeat(16),
        name: 'ChatCompletion',
        startMs,
        endMs: Date.now() + 5,
        attributes: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gw-chat' },
      },
    ]);
  async function callsOfTheBot() {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const r = await llm.t.request({ method: 'GET', url: `/v1/costs?groupBy=agent&from=${day(-1)}&to=${day(1)}` });
    return r.json().rows.find((x: { key: string }) => x.key === 'llm-bot');
  }

  it('pairs the record when the client’s span comes second, and the direct call counts', async () => {
    const startMs = Date.now() - 5;
    const responseId = await gatewayCall();
    const record = await flushed();
    await send(clientChatSpan({ traceId: 'c'.repeat(32), spanId: 'c'.repeat(16), responseId, tokens: { input: 10, output: 5 } }));
    expect((await records())[0]).toMatchObject({ paired: 1, duplicate: 0 });
    await send(directSpan(startMs));
    const direct = await db().selectFrom('spans').selectAll().where('span_id', '=', 'e'.repeat(16)).executeTakeFirstOrThrow();
    expect(direct.duplicate).toBe(0);
    const bot = await callsOfTheBot();
    expect(bot).toMatchObject({ calls: 2, unpricedCalls: 1 });
    expect(bot.costUsd).toBeCloseTo(Number(record?.cost_usd), 12);
  });

  it('pairs the record when it comes second, and the direct call counts', async () => {
    const startMs = Date.now() - 5;
    const responseId = await gatewayCall();
    // The client's spans first: its span of the gateway call (by id), the direct call's (no id).
    await send(clientChatSpan({ traceId: 'c'.repeat(32), spanId: 'c'.repeat(16), responseId, tokens: { input: 10, output: 5 } }));
    await send(directSpan(startMs));
    const record = await flushed();
    expect(record).toMatchObject({ paired: 1, duplicate: 0 });
    const direct = await db().selectFrom('spans').selectAll().where('span_id', '=', 'e'.repeat(16)).executeTakeFirstOrThrow();
    expect(direct.duplicate).toBe(0);
    const bot = await callsOfTheBot();
    expect(bot).toMatchObject({ calls: 2, unpricedCalls: 1 });
    expect(bot.costUsd).toBeCloseTo(Number(record?.cost_usd), 12);
  });
});
