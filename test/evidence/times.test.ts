// Evidence dated where no evidence can be (found by review): a span that claimed to start in 1970, or
// to last for years, was stored as sent, and skewed the averages (avg_handle_time, task durations) and
// the day buckets until retention reached it. Spans and task events are taken from now less the
// longest time evidence is kept (the retention periods) to 5 minutes ahead, and last at most a year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTraceResponse } from '../../src/evidence/otlp-proto.js';
import { ENGINES } from '../support/databases.js';
import { otlpExport, otlpProtobuf } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

const DAY = 86_400_000;
const TRACE = '7d8efff798038103d269b633813fc60c';
const iso = (ms: number) => new Date(ms).toISOString();
/** A reason's time, written by the server from its own clock: any ISO time. */
const TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

describe.each(ENGINES)('when evidence says it happened, on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  const task = (spanId: string, startMs: number, endMs: number) => ({
    traceId: TRACE,
    spanId,
    name: 'invoke_agent support',
    startMs,
    endMs,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'fulcrum.task.outcome': 'resolved',
      'fulcrum.task.id': `task-${spanId}`,
    },
  });
  /** Posts an export in `encoding`; its answer read in the same encoding. */
  const post = async (exported: object, encoding: 'json' | 'protobuf') => {
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      ...(encoding === 'json'
        ? { payload: exported }
        : { payload: otlpProtobuf(exported), headers: { 'content-type': 'application/x-protobuf' } }),
    });
    expect(res.statusCode, res.body).toBe(200);
    return encoding === 'json' ? res.json() : decodeTraceResponse(res.rawPayload);
  };
  const storedTasks = async () =>
    (
      await t.app.database.db
        .selectFrom('task_events')
        .select('task_id')
        .where('source', '=', 'otlp')
        .where('task_id', 'like', 'task-%')
        .orderBy('task_id')
        .execute()
    ).map((r) => r.task_id);

  it('refuses a span from before evidence is kept, from the future or lasting over a year (JSON and protobuf)', async () => {
    const now = Date.now();
    const exported = otlpExport([
      task('a000000000000001', now - 60_000, now - 1000),
      // 1970: an unset clock, or a forgery.
      task('a000000000000002', 1000, 2000),
      // Older than the longest retention period (events: 395 days by default).
      task('a000000000000003', now - 500 * DAY, now - 500 * DAY + 1000),
      // In 2200.
      task('a000000000000004', Date.UTC(2200, 0, 1), Date.UTC(2200, 0, 1, 0, 1)),
      // Within what is kept, but 370 days long.
      task('a000000000000005', now - 370 * DAY - 1000, now - 1000),
      task('a000000000000006', now - 300 * DAY, now - 300 * DAY + 60_000),
    ]);
    const reasons = new RegExp(
      `^span 1: startTimeUnixNano 1970-01-01T00:00:01\\.000Z is older than Fulcrum keeps evidence \\(395 days, since ${TIME}\\); ` +
        `span 2: startTimeUnixNano ${TIME} is older than Fulcrum keeps evidence \\(395 days, since ${TIME}\\); ` +
        `span 3: endTimeUnixNano 2200-01-01T00:01:00\\.000Z is in the future \\(more than 5 minutes ahead of this server's clock, ${TIME}\\); ` +
        'span 4: the span lasts 370 days \\(endTimeUnixNano - startTimeUnixNano\\), more than a year \\(366 days\\)$',
    );
    for (const encoding of ['json', 'protobuf'] as const) {
      expect((await post(exported, encoding)).partialSuccess, encoding).toEqual({
        rejectedSpans: '4',
        errorMessage: expect.stringMatching(reasons),
      });
    }
    expect(await storedTasks()).toEqual(['task-a000000000000001', 'task-a000000000000006']);
    const spans = await t.app.database.db.selectFrom('spans').select('span_id').where('trace_id', '=', TRACE).execute();
    expect(spans.map((s) => s.span_id).sort()).toEqual(['a000000000000001', 'a000000000000006']);
  });

  it('takes older evidence once the retention periods keep it that long', async () => {
    const now = Date.now();
    const old = otlpExport([task('b000000000000001', now - 500 * DAY, now - 500 * DAY + 1000)]);
    expect((await post(old, 'protobuf')).partialSuccess?.rejectedSpans).toBe('1');
    const longer = await t.request({ method: 'PUT', url: '/v1/retention', payload: { events: 10000 } });
    expect(longer.statusCode, longer.body).toBe(200);
    try {
      expect(await post(old, 'json')).toEqual({});
      expect(await storedTasks()).toContain('task-b000000000000001');
      // Never before 2000, whatever the periods say.
      const ancient = await post(otlpExport([task('b000000000000002', 1000, 2000)]), 'protobuf');
      expect(ancient.partialSuccess).toEqual({
        rejectedSpans: '1',
        errorMessage: expect.stringMatching(
          /^span 0: startTimeUnixNano 1970-01-01T00:00:01\.000Z is older than Fulcrum keeps evidence \(10000 days, since 2000-01-01T00:00:00\.000Z\)$/,
        ),
      });
    } finally {
      await t.request({ method: 'PUT', url: '/v1/retention', payload: { events: 395 } });
    }
  });

  it('refuses a task event from before evidence is kept, or whose start and end are over a year apart', async () => {
    const now = Date.now();
    const done = (taskId: string, more: Record<string, unknown>) => ({
      type: 'task.completed',
      taskId,
      outcome: 'resolved',
      durationMs: 1000,
      endedAt: iso(now - 60_000),
      ...more,
    });
    const res = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [
          done('ev-1', {}),
          done('ev-2', { endedAt: '1970-01-01T00:00:01Z' }),
          done('ev-3', { startedAt: iso(now - 500 * DAY), endedAt: iso(now - 499 * DAY) }),
          { type: 'task.started', taskId: 'ev-4', startedAt: iso(now - 500 * DAY) },
          done('ev-5', { startedAt: iso(now - 370 * DAY) }),
          done('ev-6', { startedAt: iso(now - 300 * DAY), endedAt: iso(now - 299 * DAY) }),
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const older = (field: string, at: string) =>
      expect.stringMatching(new RegExp(`^${field} ${at} is older than Fulcrum keeps evidence \\(395 days, since ${TIME}\\)$`));
    expect(res.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, reason: older('endedAt', '1970-01-01T00:00:01\\.000Z') },
        { index: 2, reason: older('startedAt', TIME) },
        { index: 3, reason: older('startedAt', TIME) },
        { index: 4, reason: 'endedAt is more than a year (366 days) after startedAt' },
      ],
    });
    const stored = await t.app.database.db.selectFrom('task_events').select('task_id').where('source', '=', 'api').execute();
    expect(stored.map((r) => r.task_id).sort()).toEqual(['ev-1', 'ev-6']);
  });
});
