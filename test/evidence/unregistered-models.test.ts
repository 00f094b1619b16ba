// One agent's telemetry cannot grow the daily rollups without bound (found by review): every distinct
// model name it reported, registered or not, was a permanent row of evidence_daily and
// model_tasks_daily. Per agent and day at most MAX_MODELS_PER_DAY names have a row of their own; the
// calls of further unregistered names are folded, counts and tokens kept, into "(other unregistered)".
// A correction (the LLM gateway's record of a call a client's span counted first) lands on the row
// the call was counted on.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanTable } from '../../src/db/schema.js';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { MAX_MODELS_PER_DAY, OTHER_UNREGISTERED } from '../../src/evidence/model-fold.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { type OtlpSpan, otlpExport } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('unregistered model names in the rollups (%s)', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  /** A resolved task (its trace) of one chat call of `model`, 1,000 input tokens. */
  const task = (n: number, model: string, at: number): OtlpSpan[] => [
    {
      traceId: hex(n, 32),
      spanId: hex(n * 2 + 1, 16),
      name: 'invoke_agent',
      startMs: at,
      endMs: at + 1000,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'resolved' },
    },
    {
      traceId: hex(n, 32),
      spanId: hex(n * 2 + 2, 16),
      name: `chat ${model}`,
      startMs: at + 10,
      endMs: at + 500,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': model,
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 10,
      },
    },
  ];
  const send = async (spans: OtlpSpan[]) => {
    const r = await t.request({ method: 'POST', url: '/otlp/v1/traces', token: key, payload: otlpExport(spans) });
    expect(r.statusCode, r.body).toBe(200);
  };
  const evidenceRows = (day: string) =>
    t.app.database.db
      .selectFrom('evidence_daily')
      .select(['model', 'model_calls', 'input_tokens', 'unpriced_calls', 'spans'])
      .where('agent', '=', 'support-bot-eu')
      .where('day', '=', day)
      .where('model', '!=', '')
      .execute();
  const taskRows = (day: string) =>
    t.app.database.db
      .selectFrom('model_tasks_daily')
      .select(['model', 'mixed', 'tasks', 'calls', 'input_tokens'])
      .where('agent', '=', 'support-bot-eu')
      .where('day', '=', day)
      .execute();
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const byModel = <R extends { model: string }>(rows: R[]) => new Map(rows.map((r) => [r.model, r]));
  const sum = <R>(rows: R[], k: keyof R) => rows.reduce((a, r) => a + Number(r[k]), 0);

  it('gives at most MAX_MODELS_PER_DAY names a row per agent and day, folds the rest, and keeps every count', async () => {
    // Yesterday, 10:00: a fixed day falls past the evidence horizon (395 days) and is refused.
    const day = daysAgo(1);
    const at = Date.parse(`${day}T10:00:00Z`);
    const flood = MAX_MODELS_PER_DAY + 10;
    const spans: OtlpSpan[] = [];
    for (let i = 0; i < flood; i++) spans.push(...task(i + 1, `flood-${i}`, at + i * 1000));
    await send(spans);
    // A registered Model always has its row, however many names came before.
    await send(task(1000, 'gpt-4o-mini', at + 100_000));
    // A name that has its row keeps it; a new one, the day full, is folded.
    await send([...task(1001, 'flood-0', at + 200_000), ...task(1002, 'flood-new', at + 201_000)]);

    const rows = await evidenceRows(day);
    const models = byModel(rows);
    expect(rows.length).toBe(MAX_MODELS_PER_DAY + 2);
    expect(Number(models.get(OTHER_UNREGISTERED)?.model_calls)).toBe(11);
    expect(Number(models.get(OTHER_UNREGISTERED)?.input_tokens)).toBe(11_000);
    expect(Number(models.get('flood-0')?.model_calls)).toBe(2);
    expect(Number(models.get('gpt-4o-mini')?.model_calls)).toBe(1);
    expect(models.has('flood-new')).toBe(false);
    expect(sum(rows, 'model_calls')).toBe(flood + 3);
    expect(sum(rows, 'unpriced_calls')).toBe(flood + 2);

    const tasks = await taskRows(day);
    const taskModels = byModel(tasks);
    expect(tasks.length).toBeLessThanOrEqual(MAX_MODELS_PER_DAY + 2);
    expect(Number(taskModels.get(OTHER_UNREGISTERED)?.tasks)).toBe(11);
    expect(Number(taskModels.get('gpt-4o-mini')?.tasks)).toBe(1);
    expect(sum(tasks, 'tasks')).toBe(flood + 3);
    expect(sum(tasks, 'input_tokens')).toBe((flood + 3) * 1000);

    // The fold is visible in the API, with its counts.
    const costs = await t.request({ method: 'GET', url: `/v1/costs?groupBy=model&from=${day}&to=${day}` });
    expect(costs.statusCode, costs.body).toBe(200);
    const other = costs.json().rows.find((r: { key: string }) => r.key === OTHER_UNREGISTERED);
    expect(other).toMatchObject({ calls: 11, unpricedCalls: 11, inputTokens: 11_000 });
  });

  it('lands a correction of a folded call on the fold, never on a row that does not exist', async () => {
    const db = t.app.database.db;
    const store = createEvidenceStore(db);
    const day = daysAgo(2); // not the day the test above fills
    const at = Date.parse(`${day}T10:00:00Z`);
    const span = (o: Partial<SpanTable> & Pick<SpanTable, 'trace_id' | 'span_id'>): { row: SpanTable; inference: boolean } => ({
      row: {
        parent_span_id: null,
        agent: 'support-bot-eu',
        registered: 1,
        name: 'chat',
        operation: 'chat',
        start_at: new Date(at).toISOString(),
        day,
        duration_ms: 500,
        model_reported: null,
        model: null,
        provider: 'openai',
        input_tokens: 100,
        output_tokens: 1,
        cached_tokens: null,
        cost_usd: null,
        tool: null,
        error_type: null,
        task_outcome: null,
        received_at: new Date().toISOString(),
        claimed_agent: null,
        sent_by: 'agent:support-bot-eu',
        response_id: null,
        unpriced_reason: 'unknown_model',
        source: 'otlp',
        ...o,
      },
      inference: o.operation !== 'invoke_agent',
    });
    // The day full of names (each a task of one call), then a client's span of a call of yet another name, in a resolved task.
    const fill = Array.from({ length: MAX_MODELS_PER_DAY }, (_, i) =>
      span({ trace_id: hex(5000 + i, 32), span_id: hex(1, 16), model_reported: `fill-${i}`, task_outcome: 'resolved' }),
    );
    await store.ingest([], fill);
    const trace = hex(9999, 32);
    await store.ingest(
      [],
      [
        span({
          trace_id: trace,
          span_id: hex(1, 16),
          operation: 'invoke_agent',
          task_outcome: 'resolved',
          unpriced_reason: null,
        }),
        span({ trace_id: trace, span_id: hex(2, 16), model_reported: 'client-name', response_id: 'resp-1' }),
      ],
    );
    expect(Number(byModel(await evidenceRows(day)).get(OTHER_UNREGISTERED)?.model_calls)).toBe(1);
    // The LLM gateway's priced record of the same call arrives: it counts in the client span's place.
    await store.ingest(
      [],
      [
        span({
          trace_id: hex(7777, 32),
          span_id: hex(3, 16),
          model_reported: 'gpt-4o-mini',
          model: 'gpt-4o-mini',
          cost_usd: 0.5,
          input_tokens: 200,
          response_id: 'resp-1',
          unpriced_reason: null,
          source: 'llm',
        }),
      ],
    );
    const rows = await evidenceRows(day);
    const models = byModel(rows);
    expect(rows.length).toBe(MAX_MODELS_PER_DAY + 2);
    expect(models.get(OTHER_UNREGISTERED)).toMatchObject({ model: OTHER_UNREGISTERED });
    expect(Number(models.get(OTHER_UNREGISTERED)?.model_calls)).toBe(0);
    expect(Number(models.get(OTHER_UNREGISTERED)?.input_tokens)).toBe(0);
    expect(Number(models.get('gpt-4o-mini')?.model_calls)).toBe(1);
    expect(models.has('client-name')).toBe(false);
    for (const r of rows)
      for (const k of ['model_calls', 'input_tokens', 'unpriced_calls'] as const) expect(Number(r[k])).toBeGreaterThanOrEqual(0);
    expect(sum(rows, 'model_calls')).toBe(MAX_MODELS_PER_DAY + 1);

    // The task moves from the fold to the gateway's model, and no rollup row goes negative.
    const tasks = await taskRows(day);
    const taskModels = byModel(tasks);
    expect(Number(taskModels.get('gpt-4o-mini')?.tasks)).toBe(1);
    expect(Number(taskModels.get('gpt-4o-mini')?.input_tokens)).toBe(200);
    expect(Number(taskModels.get(OTHER_UNREGISTERED)?.tasks ?? 0)).toBe(0);
    expect(taskModels.has('client-name')).toBe(false);
    for (const r of tasks)
      for (const k of ['tasks', 'calls', 'input_tokens'] as const) expect(Number(r[k])).toBeGreaterThanOrEqual(0);
  });
});
