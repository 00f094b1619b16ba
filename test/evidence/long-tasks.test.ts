// A task may run up to a year (POST /v1/events durationMs; a task span's duration): on PostgreSQL the
// stored duration was a 32-bit integer, so a task of more than 24.8 days (2^31 ms) failed its whole
// batch of events, or its whole export, with a 500 where SQLite kept it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

const DAY = 86_400_000;

describe.each(ENGINES)('long tasks on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('keeps a 30-day task from an event and from a span', async () => {
    const now = Date.now() - 60_000;
    const events = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [
          {
            type: 'task.completed',
            taskId: 'claim-1',
            outcome: 'resolved',
            durationMs: 30 * DAY,
            endedAt: new Date(now).toISOString(),
          },
        ],
      },
    });
    expect(events.statusCode, events.body).toBe(200);
    expect(events.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const spans = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpExport([
        {
          traceId: 'cf8efff798038103d269b633813fc60c',
          spanId: 'f000000000000001',
          name: 'invoke_agent claims',
          startMs: now - 30 * DAY,
          endMs: now,
          attributes: {
            'gen_ai.operation.name': 'invoke_agent',
            'fulcrum.task.outcome': 'resolved',
            'fulcrum.task.id': 'claim-2',
          },
        },
      ]),
    });
    expect(spans.statusCode, spans.body).toBe(200);
    const stored = await t.app.database.db
      .selectFrom('task_events')
      .select(['task_id', 'duration_ms'])
      .orderBy('task_id')
      .execute();
    expect(stored.map((r) => [r.task_id, Number(r.duration_ms)])).toEqual([
      ['claim-1', 30 * DAY],
      ['claim-2', 30 * DAY],
    ]);
  });
});
