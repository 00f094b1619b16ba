// Evidence ingest over HTTP on every engine: events one by one, idempotence, OTLP bad input and
// partial success, outcome metrics (measured and self-reported), costs.
import path from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTraceResponse } from '../../src/evidence/otlp-proto.js';
import { OFF_LOOP_BYTES, offLoop } from '../../src/http/off-loop.js';
import { ENGINES, type Engine } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { otlpProtobuf } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const NOW = Date.now();
const today = new Date(NOW).toISOString().slice(0, 10);
const midnight = Date.parse(`${today}T00:00:00.000Z`);
/**
 * Minutes before now, but never before today's UTC midnight: the tests read today's rollups, and a run in
 * the first quarter hour of a day (CI at 00:04) put events of "10 minutes ago" on yesterday. Then they
 * stand a few milliseconds after midnight, in the same order.
 */
const at = (minutesAgo: number) => new Date(Math.max(NOW - minutesAgo * 60_000, midnight + (20 - minutesAgo) * 10)).toISOString();
/** A day ahead: far past the 5 minutes of clock skew ingest allows. */
const FUTURE = new Date(Date.now() + 86_400_000).toISOString();

function otlpSpan(overrides: Record<string, unknown> = {}, attributes: Record<string, string | number> = {}) {
  const start = BigInt(Date.now() - 5000) * 1_000_000n;
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: 'chat',
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1_500_000_000n),
    attributes: Object.entries(attributes).map(([key, v]) => ({
      key,
      value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v },
    })),
    ...overrides,
  };
}
const body = (spans: unknown[]) => ({
  resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans }] }],
});

/** A server on `engine` with the mini enterprise, support-bot-eu's key, and a POST with that key. */
function ingestServer(engine: Engine) {
  const s = {
    t: undefined as unknown as TestServer,
    key: '',
    post: (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      s.t.request({ method: 'POST', url, token: s.key, payload: payload as string, headers }),
  };
  beforeAll(async () => {
    s.t = await startTestServer(engine);
    await s.t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    s.key = (await s.t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => s.t?.close());
  return s;
}

describe.each(ENGINES)('evidence ingest on %s', (engine) => {
  const s = ingestServer(engine);
  const post = s.post;

  it('keeps valid events, lists each rejected one, and counts a re-sent event once', async () => {
    const events = [
      ...Array.from({ length: 7 }, (_, i) => ({
        type: 'task.completed',
        taskId: `r${i}`,
        outcome: 'resolved',
        durationMs: 240_000,
        endedAt: at(10),
        costUsd: 0.02,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        type: 'task.completed',
        taskId: `e${i}`,
        outcome: 'escalated',
        durationMs: 600_000,
        endedAt: at(10),
      })),
      { type: 'task.started', taskId: 'r0', startedAt: at(14) },
      { type: 'handoff.human', taskId: 'e0', endedAt: at(12) },
      { type: 'task.completed', taskId: 'bad1', outcome: 'vanished', durationMs: 1, endedAt: at(1) },
      { type: 'task.completed', taskId: 'bad2', outcome: 'resolved', endedAt: at(1) },
      { type: 'teleported', taskId: 'bad3' },
      { type: 'task.completed', taskId: 'bad4', outcome: 'resolved', durationMs: 1, endedAt: 'yesterday' },
      'not an object',
      // From the future: it would sit in every monitor window and past every retention cut-off.
      { type: 'task.completed', taskId: 'bad5', outcome: 'failed', durationMs: 1, endedAt: FUTURE },
    ];
    const res = await post('/v1/events', { events });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      accepted: 12,
      duplicates: 0,
      rejected: [
        { index: 12, reason: 'outcome must be one of resolved, escalated, failed, abandoned' },
        { index: 13, reason: 'a task.completed event needs durationMs' },
        { index: 14, reason: 'type must be one of task.started, task.completed, handoff.human' },
        { index: 15, reason: 'endedAt must be an ISO 8601 date-time' },
        { index: 16, reason: 'an event must be an object' },
        {
          index: 17,
          reason: expect.stringMatching(
            new RegExp(`^endedAt ${FUTURE} is in the future \\(more than 5 minutes ahead of this server's clock, `),
          ),
        },
      ],
    });
    const again = await post('/v1/events', { events: events.slice(0, 3) });
    expect(again.json()).toEqual({ accepted: 3, duplicates: 3, rejected: [] });
    const daily = await s.t.app.database.db
      .selectFrom('evidence_daily')
      .selectAll()
      .where('agent', '=', 'support-bot-eu')
      .execute();
    expect(daily).toHaveLength(1);
    expect(daily[0]).toMatchObject({ tasks_resolved: 7, tasks_escalated: 3, tasks_started: 1, handoffs: 1, handled: 10 });
    expect(daily[0]?.cost_reported_usd).toBeCloseTo(0.14, 9);
  });

  it('measures outcome metrics against the baseline from the rollups', async () => {
    const res = await s.t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/outcomes' });
    expect(res.statusCode, res.body).toBe(200);
    const [resolution] = res.json().metrics;
    expect(resolution).toEqual({
      name: 'resolution',
      source: 'resolution_rate',
      unit: 'fraction',
      direction: 'increase',
      baseline: { value: 0.42, period: '2025-Q4' },
      target: 0.65,
      current: 0.7,
      provenance: 'measured',
      progress: 1.2174,
      series: [{ period: today.slice(0, 7), value: 0.7 }],
      valuePerUnit: { value: 18, assumption: true },
    });
    expect((await s.t.request({ method: 'GET', url: '/v1/initiatives/nope/outcomes' })).statusCode).toBe(404);
  });

  it('records self-reported values for manual metrics only', async () => {
    const initiative = (await s.t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
    initiative.spec.outcomes.push(
      {
        name: 'csat',
        source: 'manual',
        unit: 'points',
        direction: 'increase',
        baseline: { value: 4.1, period: '2025' },
        target: 4.5,
      },
      {
        name: 'handle',
        source: 'avg_handle_time',
        unit: 'minutes',
        direction: 'decrease',
        baseline: { value: 9, period: '2025' },
        target: 5,
      },
      {
        name: 'saved',
        source: 'time_saved_hours',
        unit: 'hours/month',
        direction: 'increase',
        baseline: { value: 0, period: '2025' },
        target: 100,
      },
    );
    expect(
      (await s.t.request({ method: 'PUT', url: '/v1/initiatives/support-deflection', payload: initiative })).statusCode,
    ).toBe(200);
    const m = (metric: string, value: number, period = '2026-10') =>
      s.t.request({ method: 'POST', url: '/v1/initiatives/support-deflection/measurements', payload: { metric, value, period } });
    expect((await m('csat', 4.3)).statusCode).toBe(201);
    expect((await m('csat', 4.4, '2026-11')).statusCode).toBe(201);
    expect((await m('resolution', 0.9)).json().error.message).toMatch(/measured from telemetry/);
    expect((await m('nps', 10)).statusCode).toBe(404);
    const metrics = (await s.t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/outcomes' })).json().metrics;
    expect(metrics.find((x: { name: string }) => x.name === 'csat')).toMatchObject({
      current: 4.4,
      provenance: 'self-reported',
      progress: 0.75,
      series: [
        { period: '2026-10', value: 4.3 },
        { period: '2026-11', value: 4.4 },
      ],
    });
    // 10 tasks handled in 4 min (7) and 10 min (3): 5.8 min on average; baseline 9 min.
    expect(metrics.find((x: { name: string }) => x.name === 'handle')).toMatchObject({ current: 5.8, provenance: 'measured' });
    // (9 − 5.8) min × 7 resolved = 22.4 min.
    expect(metrics.find((x: { name: string }) => x.name === 'saved').current).toBeCloseTo(22.4 / 60, 4);
  });

  it('answers malformed OTLP with 400, other content types with 415, oversized bodies with 413', async () => {
    const json = await post('/otlp/v1/traces', '{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(json.statusCode).toBe(400);
    const proto = await post('/otlp/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0xff]), {
      'content-type': 'application/x-protobuf',
    });
    expect(proto.statusCode).toBe(400);
    expect(proto.json().error.message).toMatch(/malformed OTLP protobuf body/);
    const shape = await post('/otlp/v1/traces', { resourceSpans: 'nope' });
    expect(shape.json().error).toEqual({ code: 'bad_request', message: '"resourceSpans" must be an array' });
    const text = await post('/otlp/v1/traces', 'hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    const big = await post('/otlp/v1/traces', gzipSync(Buffer.alloc(9 * 1024 * 1024, 0x20)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(big.statusCode).toBe(413);
    expect(await s.t.app.database.db.selectFrom('spans').selectAll().execute()).toEqual([]);
  });

  it('keeps good spans, rejects bad ones with reasons (partial success), and is idempotent', async () => {
    const spans = [
      otlpSpan(
        {},
        {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.system': 'openai',
          'gen_ai.usage.prompt_tokens': 1000,
          'gen_ai.usage.completion_tokens': 100,
        },
      ),
      otlpSpan({ traceId: 'xyz' }),
      otlpSpan({ spanId: '0000000000000000' }),
      otlpSpan({ spanId: 'eee19b7ec3c1b175', endTimeUnixNano: '1' }),
      otlpSpan({ spanId: 'fff19b7ec3c1b175', endTimeUnixNano: `${BigInt(Date.parse(FUTURE)) * 1_000_000n}` }),
    ];
    const res = await post('/otlp/v1/traces', body(spans));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '4',
        errorMessage: expect.stringMatching(
          new RegExp(
            '^span 1: traceId must be 16 bytes \\(32 hex digits\\); span 2: spanId must not be all zeroes; span 3: endTimeUnixNano is before startTimeUnixNano; ' +
              `span 4: endTimeUnixNano ${FUTURE} is in the future`,
          ),
        ),
      },
    });
    const ok = await post('/otlp/v1/traces', body(spans.slice(0, 1)));
    expect(ok.json()).toEqual({});
    const rows = await s.t.app.database.db.selectFrom('spans').selectAll().execute();
    expect(rows).toHaveLength(1);
    // Deprecated names are read: gen_ai.system, prompt/completion tokens.
    expect(rows[0]).toMatchObject({ provider: 'openai', input_tokens: 1000, output_tokens: 100, model: 'gpt-4o-mini' });
    expect(rows[0]?.cost_usd).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 12);
    const daily = await s.t.app.database.db.selectFrom('evidence_daily').selectAll().where('model', '=', 'gpt-4o-mini').execute();
    expect(daily).toEqual([expect.objectContaining({ model_calls: 1, spans: 1, input_tokens: 1000 })]);
  });

  it('groups costs by agent, initiative, model and business unit', async () => {
    for (const groupBy of ['agent', 'initiative', 'model', 'business-unit']) {
      const res = await s.t.request({ method: 'GET', url: `/v1/costs?groupBy=${groupBy}&from=${today}&to=${today}` });
      expect(res.statusCode).toBe(200);
      const expected = { agent: 'support-bot-eu', initiative: 'support-deflection', model: 'gpt-4o-mini', 'business-unit': 'cx' }[
        groupBy
      ];
      // By model, the self-reported task cost (0.14) is "(no model)", ahead of gpt-4o-mini's.
      expect(res.json().rows.map((r: { key: string }) => r.key)).toEqual(
        groupBy === 'model' ? ['(no model)', expected] : [expected],
      );
    }
    const byAgent = (await s.t.request({ method: 'GET', url: '/v1/costs?groupBy=agent' })).json().rows[0];
    expect(byAgent.costUsd).toBeCloseTo(0.14 + 0.00021, 9);
    expect((await s.t.request({ method: 'GET', url: '/v1/costs?groupBy=planet' })).statusCode).toBe(400);
    expect((await s.t.request({ method: 'GET', url: '/v1/costs?from=2026-02-01&to=2026-01-01' })).statusCode).toBe(400);
  });
});

describe.each(ENGINES)('large and compressed OTLP exports on %s', (engine) => {
  const s = ingestServer(engine);
  const post = s.post;

  it('takes a compressed export that states its Content-Length, as the OTel Collector sends one', async () => {
    for (const [encoding, compress] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
    ] as const) {
      const spanId = encoding === 'gzip' ? 'c0ffee0000000001' : 'c0ffee0000000002';
      const payload = compress(Buffer.from(JSON.stringify(body([otlpSpan({ traceId: `${'c0ffee'.repeat(5)}aa`, spanId })]))));
      const res = await post('/otlp/v1/traces', payload, {
        'content-type': 'application/json',
        'content-encoding': encoding,
        'content-length': String(payload.length),
      });
      expect(res.statusCode, `${encoding}: ${res.body}`).toBe(200);
      const stored = await s.t.app.database.db.selectFrom('spans').select('span_id').where('span_id', '=', spanId).execute();
      expect(stored, encoding).toHaveLength(1);
    }
  });

  it('stores a large export once, read off the event loop and in slices, and a re-sent one adds nothing', async () => {
    // 3,000 model calls over 375 traces: ~0.9 MB of OTLP/JSON, past the off-loop bound, six slices.
    const spans = Array.from({ length: 3000 }, (_, i) =>
      otlpSpan(
        {
          traceId: `${'7a'.repeat(14)}${(i >> 3).toString(16).padStart(4, '0')}`,
          spanId: (i + 1).toString(16).padStart(16, '0'),
        },
        {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.agent.name': 'support-bot-eu',
          'gen_ai.usage.input_tokens': 100,
          'gen_ai.usage.output_tokens': 10,
        },
      ),
    );
    const json = JSON.stringify(body(spans));
    expect(json.length).toBeGreaterThan(OFF_LOOP_BYTES);
    const calls = async () =>
      Number(
        (
          await s.t.app.database.db
            .selectFrom('evidence_daily')
            .select((eb) => eb.fn.sum<number>('model_calls').as('n'))
            .where('model', '=', 'gpt-4o-mini')
            .executeTakeFirst()
        )?.n ?? 0,
      );
    const stored = async () =>
      (
        await s.t.app.database.db
          .selectFrom('spans')
          .select('span_id')
          .where('trace_id', 'like', `${'7a'.repeat(14)}%`)
          .execute()
      ).length;
    const before = { calls: await calls(), tasks: offLoop().tasks };
    const res = await post('/otlp/v1/traces', json, { 'content-type': 'application/json' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({});
    expect(offLoop().tasks - before.tasks).toBe(1);
    expect(await stored()).toBe(3000);
    expect((await calls()) - before.calls).toBe(3000);
    // The same export again, as protobuf: every span is known, nothing is counted twice.
    const again = await post('/otlp/v1/traces', otlpProtobuf(body(spans)), {
      'content-type': 'application/x-protobuf',
    });
    expect(again.statusCode).toBe(200);
    expect(decodeTraceResponse(again.rawPayload)).toEqual({});
    expect(offLoop().tasks - before.tasks).toBe(2);
    expect(await stored()).toBe(3000);
    expect((await calls()) - before.calls).toBe(3000);
    // Malformed large exports are refused as small ones are.
    const cut = await post('/otlp/v1/traces', json.slice(0, -3), { 'content-type': 'application/json' });
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.message).toMatch(/^malformed JSON body: /);
    const junk = await post('/otlp/v1/traces', Buffer.alloc(OFF_LOOP_BYTES + 10, 0xff), {
      'content-type': 'application/x-protobuf',
    });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.message).toMatch(/^malformed OTLP protobuf body: /);
    expect(offLoop().tasks - before.tasks).toBe(4);
  });
});
