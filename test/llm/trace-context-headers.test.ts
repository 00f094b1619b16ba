// The W3C trace context a caller sends the LLM gateway (`traceparent`, `tracestate`): a valid one
// places the call's record in the caller's trace and is sent on naming that record as the parent;
// anything else is ignored, never refused, never stored nor sent on (docs/llm-gateway.md, "Trace context").
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${PARENT}-01`;
const STATE = 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7';

describe.each(ENGINES)('the trace context a gateway call carries (%s)', (engine) => {
  const llm = useLlmStack(engine);

  /** One chat call with `headers`: its record, and the trace context the provider was sent. */
  async function call(headers: Record<string, string>) {
    const db = llm.t.app.database.db;
    const newest = async () => {
      await llm.t.server.llmGateway.flush();
      return db.selectFrom('spans').selectAll().where('source', '=', 'llm').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    };
    const before = (await newest())?.seq ?? 0;
    const r = await llm.t.request({
      method: 'POST',
      url: '/llm/openai/v1/chat/completions',
      token: llm.key,
      headers,
      payload: { model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(r.statusCode, r.body).toBe(200);
    await until(async () => ((await newest())?.seq ?? 0) > before, 'the call’s record');
    const record = await newest();
    const sent = llm.up.received.at(-1)?.headers;
    return { record, traceparent: sent?.traceparent, tracestate: sent?.tracestate };
  }

  it('joins a valid traceparent’s trace, and sends the provider the record as the parent', async () => {
    const { record, traceparent, tracestate } = await call({ traceparent: VALID, tracestate: STATE });
    expect(record).toMatchObject({ trace_id: TRACE, parent_span_id: PARENT });
    expect(record?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(traceparent).toBe(`00-${TRACE}-${record?.span_id}-01`);
    expect(tracestate).toBe(STATE);
  });

  it('passes on the sampled and random flags only, and no tracestate it cannot parse', async () => {
    for (const [flags, sent] of [
      ['00', '00'],
      ['03', '03'],
      ['ff', '03'],
    ]) {
      const { record, traceparent } = await call({ traceparent: `00-${TRACE}-${PARENT}-${flags}` });
      expect(traceparent).toBe(`00-${TRACE}-${record?.span_id}-${sent}`);
    }
    for (const state of [
      'Congo=x',
      'a=1,a=2',
      'a=',
      `a=${'x'.repeat(300)}`,
      Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','),
    ]) {
      const { record, tracestate } = await call({ traceparent: VALID, tracestate: state });
      expect(record, state).toMatchObject({ trace_id: TRACE, parent_span_id: PARENT });
      expect(tracestate, state).toBeUndefined();
    }
    // Past 512 characters, members are dropped from the end (after any over 128 characters).
    const long = Array.from({ length: 30 }, (_, i) => `k${i}=${'v'.repeat(20)}`);
    const { tracestate } = await call({ traceparent: VALID, tracestate: long.join(',') });
    expect(tracestate).toBe(long.slice(0, 20).join(','));
  });

  it('reads a later version by its version 00 fields', async () => {
    const { record } = await call({ traceparent: `cc-${TRACE}-${PARENT}-01-what-comes-later` });
    expect(record).toMatchObject({ trace_id: TRACE, parent_span_id: PARENT });
  });

  it('ignores a traceparent that is not a valid one: the call is answered, its record in a trace of its own', async () => {
    for (const bad of [
      '',
      'garbage',
      VALID.toUpperCase(),
      `00-${TRACE.toUpperCase()}-${PARENT}-01`,
      `00-${'0'.repeat(32)}-${PARENT}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `ff-${TRACE}-${PARENT}-01`,
      `00-${TRACE}-${PARENT}-01-extra`,
      `00-${TRACE}-${PARENT}-1`,
      `00-${TRACE.slice(1)}-${PARENT}-01`,
      `00-${TRACE}-${PARENT}-0g`,
      `00_${TRACE}_${PARENT}_01`,
      `cc-${TRACE}-${PARENT}-01.more`,
      `cc-${TRACE}-${PARENT}-01-${'x'.repeat(600)}`,
      // Two of them (two instrumentations each adding its own): which is the parent cannot be told.
      `${VALID}, 00-${TRACE}-${'1'.repeat(16)}-01`,
      `x${VALID}`,
    ]) {
      const { record, traceparent, tracestate } = await call({ traceparent: bad, tracestate: STATE });
      expect(record?.parent_span_id, bad).toBeNull();
      expect(record?.trace_id, bad).not.toBe(TRACE);
      expect(traceparent, bad).toBe(`00-${record?.trace_id}-${record?.span_id}-01`);
      // A tracestate without a valid traceparent is not passed on.
      expect(tracestate, bad).toBeUndefined();
    }
  });

  it('starts a trace of the call’s own when none is sent', async () => {
    const { record, traceparent } = await call({});
    expect(record?.parent_span_id).toBeNull();
    expect(traceparent).toBe(`00-${record?.trace_id}-${record?.span_id}-01`);
  });
});
