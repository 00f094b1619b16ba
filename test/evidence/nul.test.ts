// A NUL character (U+0000) in a string Fulcrum stores: valid JSON and protobuf, stored by SQLite, and
// refused by PostgreSQL's text type ("invalid byte sequence for encoding UTF8: 0x00"), which failed
// the whole export or batch of events there, every retry too. It is a rejected span or event instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTraceResponse } from '../../src/evidence/otlp-proto.js';
import { ENGINES } from '../support/databases.js';
import { otlpExport, otlpProtobuf } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

const TRACE = '8c8efff798038103d269b633813fc60c';

describe.each(ENGINES)('NUL characters in evidence on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('rejects the span that holds one and keeps the rest of the export (JSON and protobuf)', async () => {
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
      chat('b000000000000001', 'chat\u0000gpt-4o-mini'),
      chat('b000000000000002', 'chat', { 'error.type': 'time\u0000out' }),
      chat('b000000000000003', 'chat', { 'gen_ai.agent.name': 'ghost\u0000bot' }),
      chat('b000000000000004', 'chat'),
    ]);
    const reasons =
      'span 0: the span name holds a NUL character (U+0000); span 1: error.type holds a NUL character (U+0000); span 2: gen_ai.agent.name holds a NUL character (U+0000)';
    const json = await t.request({ method: 'POST', url: '/otlp/v1/traces', token: key, payload: exported });
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toEqual({ partialSuccess: { rejectedSpans: '3', errorMessage: reasons } });
    const proto = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpProtobuf(exported),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(proto.statusCode, proto.body).toBe(200);
    expect(decodeTraceResponse(proto.rawPayload)).toEqual({ partialSuccess: { rejectedSpans: '3', errorMessage: reasons } });
    const daily = await t.app.database.db.selectFrom('evidence_daily').selectAll().where('model', '=', 'gpt-4o-mini').execute();
    expect(daily.map((r) => Number(r.model_calls))).toEqual([1]);
  });

  it('rejects the event that holds one and keeps the others', async () => {
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
      payload: {
        events: [done('T\u00001'), done('T-2', { workflow: 're\u0000fund' }), done('T-3', { agent: 'a\u0000b' }), done('T-4')],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 0, reason: 'taskId holds a NUL character (U+0000)' },
        { index: 1, reason: 'workflow holds a NUL character (U+0000)' },
        { index: 2, reason: 'agent holds a NUL character (U+0000)' },
      ],
    });
    const tasks = await t.app.database.db.selectFrom('task_events').select('task_id').where('source', '=', 'api').execute();
    expect(tasks.map((r) => r.task_id)).toEqual(['T-4']);
  });
});
