// A lone UTF-16 surrogate (half of a character pair: `"\ud800"` is valid JSON) in a text Fulcrum
// stores as a column of its own has no UTF-8 form: both engines stored U+FFFD in its place, so two
// tasks whose ids differed only there were one task (the second event counted as a duplicate of the
// first), and a span's name was not what was sent. The event or span is rejected instead, as one
// holding a NUL is (test/evidence/nul.test.ts), and the rest of the batch is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

const TRACE = '8c8efff798038103d269b633813fc60d';
const LONE = 'holds a lone surrogate (half of a UTF-16 character pair)';

describe.each(ENGINES)('lone surrogates in evidence on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('rejects the event that holds one, and two such tasks are not taken for one', async () => {
    const endedAt = new Date(Date.now() - 60_000).toISOString();
    const done = (taskId: string, more: Record<string, unknown> = {}) => ({
      type: 'task.completed',
      taskId,
      outcome: 'resolved',
      durationMs: 1000,
      endedAt,
      ...more,
    });
    const res = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: { events: [done('T-\ud800'), done('T-\udbff'), done('T-5', { workflow: 're\udc00fund' }), done('T-6')] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 0, reason: `taskId ${LONE}` },
        { index: 1, reason: `taskId ${LONE}` },
        { index: 2, reason: `workflow ${LONE}` },
      ],
    });
    const tasks = await t.app.database.db.selectFrom('task_events').select('task_id').where('source', '=', 'api').execute();
    expect(tasks.map((r) => r.task_id)).toEqual(['T-6']);
  });

  it('rejects the span whose name or read attribute holds one, and keeps the rest of the export', async () => {
    const start = Date.now() - 60_000;
    const chat = (spanId: string, name: string, attributes: Record<string, string | number> = {}) => ({
      traceId: TRACE,
      spanId,
      name,
      startMs: start,
      endMs: start + 1000,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 100,
        ...attributes,
      },
    });
    const exported = otlpExport([
      chat('c000000000000001', 'chat \ud83d'),
      chat('c000000000000002', 'chat', { 'error.type': 'time\udc00out' }),
      chat('c000000000000003', 'chat'),
    ]);
    const json = await t.request({ method: 'POST', url: '/otlp/v1/traces', token: key, payload: exported });
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: `span 0: the span name ${LONE}; span 1: error.type ${LONE}` },
    });
    const spans = await t.app.database.db.selectFrom('spans').select('name').where('trace_id', '=', TRACE).execute();
    expect(spans.map((s) => s.name)).toEqual(['chat']);
  });
});
