// A caller's `tracestate` is passed on to the provider with the gateway's traceparent, and stored
// nowhere, nor is an exported span's `traceState` (docs/llm-gateway.md, "Trace context": nothing
// Fulcrum shows reads it, and it holds other vendors' opaque data). Pinned across every table, so a
// later change that starts keeping it has to say where it shows and how it is bounded.
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

const TRACE = '7'.repeat(32);
const MARK = 'zq9marker';

describe.each(ENGINES)('a caller’s tracestate (%s)', (engine) => {
  const llm = useLlmStack(engine);

  /** Every table's rows as text, each with its table's name. */
  async function everything(): Promise<string[]> {
    const db = llm.t.app.database.db;
    const tables = await db.introspection.getTables();
    const out: string[] = [];
    for (const table of tables) {
      const rows = await db
        .selectFrom(table.name as 'spans')
        .selectAll()
        .execute();
      for (const r of rows) out.push(`${table.name}: ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    }
    return out;
  }

  it('is passed on with the call and kept in no table, nor is an exported span’s traceState', async () => {
    const state = `vendor=${MARK},other=x`;
    const r = await llm.t.request({
      method: 'POST',
      url: '/llm/openai/v1/chat/completions',
      token: llm.key,
      headers: { traceparent: `00-${TRACE}-${'b'.repeat(16)}-01`, tracestate: state },
      payload: { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(llm.up.received.at(-1)?.headers.tracestate).toBe(state);
    const db = llm.t.app.database.db;
    await until(async () => {
      await llm.t.server.llmGateway.flush();
      return (await db.selectFrom('spans').select('span_id').where('trace_id', '=', TRACE).execute()).length === 1;
    }, 'the call’s record');

    const body = otlpExport([
      {
        traceId: TRACE,
        spanId: 'b'.repeat(16),
        name: 'chat gw-chat',
        startMs: Date.now() - 10,
        endMs: Date.now(),
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gw-chat' },
      },
    ]);
    const span = body.resourceSpans[0]?.scopeSpans[0]?.spans[0] as Record<string, unknown>;
    span.traceState = `vendor=${MARK}`;
    const e = await llm.t.request({ method: 'POST', url: '/otlp/v1/traces', token: llm.key, payload: body });
    expect(e.statusCode, e.body).toBe(200);

    const rows = await everything();
    // The check can see both: the record and the client's span are stored, in the caller's trace.
    expect(rows.filter((x) => x.startsWith('spans: ') && x.includes(TRACE))).toHaveLength(2);
    expect(rows.filter((x) => x.includes(MARK))).toEqual([]);
  });
});
