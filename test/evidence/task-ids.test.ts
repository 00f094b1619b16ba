// A task span's id is bounded as a task event's is (1 to 200 characters): a longer one is a rejected
// span, not an export that fails. PostgreSQL refuses index entries over ~2.7 kB, and the task id is
// in task_events' primary key, so one such span failed its whole export there, every retry too.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

const TRACE = '7b8efff798038103d269b633813fc60c';

describe.each(ENGINES)('task ids from spans on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('rejects a task span whose id is over 200 characters and keeps the rest of the export', async () => {
    const start = Date.now() - 60_000;
    const longId = randomBytes(5000).toString('hex');
    const task = (spanId: string, attributes: Record<string, string>) => ({
      traceId: TRACE,
      spanId,
      name: 'invoke_agent support',
      startMs: start,
      endMs: start + 30_000,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'resolved', ...attributes },
    });
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpExport([
        task('a000000000000001', { 'fulcrum.task.id': longId }),
        task('a000000000000002', { 'gen_ai.conversation.id': longId }),
        task('a000000000000003', { 'fulcrum.task.id': 'T-200'.padEnd(200, 'x') }),
        {
          traceId: TRACE,
          spanId: 'a000000000000004',
          parentSpanId: 'a000000000000001',
          name: 'chat gpt-4o-mini',
          startMs: start + 1000,
          endMs: start + 2000,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': 1000,
            'gen_ai.usage.output_tokens': 100,
            // Any span may carry a long conversation id: only a task's id is bounded.
            'gen_ai.conversation.id': longId,
          },
        },
      ]),
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '2',
        errorMessage:
          'span 0: fulcrum.task.id must be 1 to 200 characters, got 10000; span 1: gen_ai.conversation.id must be 1 to 200 characters, got 10000',
      },
    });
    const db = t.app.database.db;
    expect((await db.selectFrom('task_events').select('task_id').execute()).map((e) => e.task_id)).toEqual([
      'T-200'.padEnd(200, 'x'),
    ]);
    const daily = await db.selectFrom('evidence_daily').selectAll().where('agent', '=', 'support-bot-eu').execute();
    const sum = (k: 'model_calls' | 'tasks_resolved' | 'spans') => daily.reduce((n, r) => n + Number(r[k]), 0);
    expect({ calls: sum('model_calls'), resolved: sum('tasks_resolved'), spans: sum('spans') }).toEqual({
      calls: 1,
      resolved: 1,
      spans: 2,
    });
  });
});
