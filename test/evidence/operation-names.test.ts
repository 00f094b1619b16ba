// Model calls under the operation names instrumentations really send (found by review: these were
// stored and counted nowhere, the exporter told nothing): Semantic Kernel's `chat.completions`,
// `chat.streaming_completions`, `text.completions`, `text.streaming_completions`, Spring AI's
// `embedding`. A span carrying model usage under an operation Fulcrum does not know is kept, not
// counted, and the exporter is told which operation (OTLP's partial success, nothing rejected).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { type OtlpSpan, otlpExport } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('model calls under instrumentations’ own operation names', () => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  let n = 0;
  /** Spans of a trace of their own (span id, attributes), sent as support-bot-eu; the export's answer. */
  const post = async (spans: Array<[spanId: string, attributes: OtlpSpan['attributes']]>) => {
    n++;
    const traceId = n.toString(16).padStart(2, '0').repeat(16);
    const at = Date.now() - 60_000 + n;
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpExport(
        spans.map(([spanId, attributes]) => ({ traceId, spanId, name: 'span', startMs: at, endMs: at + 300, attributes })),
      ),
    });
    expect(res.statusCode, res.body).toBe(200);
    return { traceId, answer: res.json() };
  };
  /** One span of `operation` on gpt-4o-mini (0.15 USD a million input tokens, 0.60 output). */
  const send = async (operation: string, input: number, output?: number) =>
    (
      await post([
        [
          'b1'.repeat(8),
          {
            'gen_ai.operation.name': operation,
            'gen_ai.system': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': input,
            ...(output === undefined ? {} : { 'gen_ai.usage.output_tokens': output }),
          },
        ],
      ])
    ).answer;
  const totals = async () => {
    const r = await t.app.database.db
      .selectFrom('evidence_daily')
      .select((eb) => [eb.fn.sum<number>('model_calls').as('calls'), eb.fn.sum<number>('cost_measured_usd').as('cost')])
      .where('agent', '=', 'support-bot-eu')
      .executeTakeFirst();
    return { calls: Number(r?.calls ?? 0), cost: Number(r?.cost ?? 0) };
  };

  it.each([
    ['chat.completions', 1_000_000, 1_000_000, 0.75],
    ['chat.streaming_completions', 1_000_000, 0, 0.15],
    ['text.completions', 0, 1_000_000, 0.6],
    ['text.streaming_completions', 1_000_000, 1_000_000, 0.75],
    ['embedding', 1_000_000, undefined, 0.15],
  ] as const)('counts %s as a model call and prices it', async (operation, input, output, usd) => {
    const before = await totals();
    expect(await send(operation, input, output)).toEqual({});
    const after = await totals();
    expect(after.calls - before.calls).toBe(1);
    expect(after.cost - before.cost).toBeCloseTo(usd, 9);
  });

  it('tells the exporter about usage under an operation it does not know, and counts none of it', async () => {
    const before = await totals();
    expect(await send('rerank', 1_000_000, 0)).toEqual({
      partialSuccess: {
        rejectedSpans: '0',
        errorMessage: expect.stringMatching(
          /^1 span carries model usage under gen_ai\.operation\.name "rerank", which Fulcrum does not take for a model call: kept, but not counted/,
        ),
      },
    });
    expect(await totals()).toEqual(before);
    // The conventions' other operations carry usage without being model calls: nothing to say.
    expect(await send('invoke_agent', 1_000_000, 0)).toEqual({});
  });

  // Found by review: a sender's name was looked up on Object.prototype too ("constructor" read the
  // Object constructor), and the export failed with a 500 on every retry, the real calls in it lost.
  it.each([
    ['gen_ai.operation.name', 'constructor'],
    ['gen_ai.operation.name', '__proto__'],
    ['openinference.span.kind', 'constructor'],
    ['traceloop.span.kind', 'hasOwnProperty'],
  ])('stores a span whose %s is %s, next to a real model call', async (attribute, value) => {
    const usage = { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1_000_000 };
    const before = await totals();
    const { traceId } = await post([
      ['a1'.repeat(8), { 'gen_ai.operation.name': 'chat', ...usage }],
      ['a2'.repeat(8), { [attribute]: value }],
    ]);
    const after = await totals();
    expect(after.calls - before.calls).toBe(1);
    const odd = await t.app.database.db
      .selectFrom('spans')
      .select('operation')
      .where('span_id', '=', 'a2'.repeat(8))
      .where('trace_id', '=', traceId)
      .executeTakeFirstOrThrow();
    expect(odd.operation === null || typeof odd.operation === 'string').toBe(true);
  });
});
