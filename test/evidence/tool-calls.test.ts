// One tool call, one count (docs/evidence.md): the MCP gateway's own record of a call that carried
// W3C trace context in `_meta` goes into the caller's trace, as a child of the client's span; the
// client's span for the same call, arriving before or after it, is kept but not counted again.
// And an OTLP export that carries nothing Fulcrum reads is told so (OTLP partial success).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceparent } from '../../src/evidence/trace-context.js';
import { type CallEvidence, createCallEvidence } from '../../src/mcp/evidence.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { spansExport } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const ECHO_TOOL = `apiVersion: fulcrum/v1
kind: Tool
metadata: { name: everything.echo }
spec: { system: demo, effect: read, dataDomains: [], arguments: { type: object } }
`;

describe('a traceparent', () => {
  it('is read when it is a valid W3C one, else ignored', () => {
    const ok = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(parseTraceparent(ok)).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentId: 'b7ad6b7169203331',
      flags: '01',
    });
    for (const bad of [
      undefined,
      '',
      'garbage',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
      'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      `${ok}-extra`,
      `01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-${'x'.repeat(600)}`,
    ])
      expect(parseTraceparent(bad), String(bad)).toBeNull();
    // A later version may carry more fields.
    expect(parseTraceparent('01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-future')).not.toBeNull();
  });
});

describe.each(ENGINES)('tool calls through the MCP gateway on %s', (engine) => {
  let t: TestServer;
  let key: string;
  let calls: CallEvidence;
  let n = 0;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const files = [...readBundle(MINI), { path: 'echo.yaml', content: ECHO_TOOL }];
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    calls = createCallEvidence(t.app.database.db, {
      flushMs: 5,
      maxBatch: 100,
      maxHeld: 10_000,
      onDrop: () => {},
      onError: (err) => {
        throw err;
      },
    });
  });
  afterAll(async () => t?.close());

  const hex = (len: number) => {
    n++;
    return n.toString(16).padStart(len, '0');
  };
  /** The client's own span for the call: an AI SDK-style execute_tool span, sent over OTLP. */
  const clientSpan = (traceId: string, spanId: string, tool: string, startMs = Date.now() - 2000, endMs = Date.now() - 1000) =>
    t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: spansExport([
        {
          traceId,
          spanId,
          name: `execute_tool ${tool}`,
          startTimeUnixNano: String(BigInt(startMs) * 1_000_000n),
          endTimeUnixNano: String(BigInt(endMs) * 1_000_000n),
          attributes: [
            { key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } },
            { key: 'gen_ai.tool.name', value: { stringValue: tool } },
          ],
        },
      ]),
    });
  /** The gateway's record of a call of everything.echo, with the caller's trace context if given. */
  const record = async (startedAt: number, traceparent?: string) => {
    calls.record({
      agent: 'support-bot-eu',
      tool: 'everything.echo',
      decisionId: `dec-${hex(8)}`,
      startedAt,
      durationMs: 20,
      errorType: null,
      ...(traceparent ? { traceparent } : {}),
    });
    await calls.flush();
  };
  const gatewayRecord = (traceId: string, parentId: string) => record(Date.now() - 1500, `00-${traceId}-${parentId}-01`);
  const toolCalls = async () => {
    const rows = await t.app.database.db
      .selectFrom('evidence_daily')
      .select('tool_calls')
      .where('agent', '=', 'support-bot-eu')
      .execute();
    return rows.reduce((sum, r) => sum + Number(r.tool_calls), 0);
  };
  const inTrace = (traceId: string) =>
    t.app.database.db.selectFrom('spans').selectAll().where('trace_id', '=', traceId).orderBy('seq').execute();

  it('counts once when the gateway records the call first', async () => {
    const before = await toolCalls();
    const [trace, client] = [hex(32), hex(16)];
    await gatewayRecord(trace, client);
    // The MCP name agents see (everything_echo) names the same registry Tool.
    expect((await clientSpan(trace, client, 'everything_echo')).json()).toEqual({});
    expect(await toolCalls()).toBe(before + 1);
    const rows = await inTrace(trace);
    expect(rows.map((r) => [r.source, r.mcp_call, r.parent_span_id, r.duplicate, r.tool])).toEqual([
      ['mcp', 'gateway_paired', client, 0, 'everything.echo'],
      // Stored under the registry's name, whichever name the client used.
      ['otlp', 'client', null, 1, 'everything.echo'],
    ]);
  });

  it('counts once when the client span arrives first', async () => {
    const before = await toolCalls();
    const [trace, client] = [hex(32), hex(16)];
    await clientSpan(trace, client, 'everything.echo');
    await gatewayRecord(trace, client);
    expect(await toolCalls()).toBe(before + 1);
    expect((await inTrace(trace)).map((r) => [r.mcp_call, r.duplicate])).toEqual([
      ['client_paired', 0],
      ['gateway', 1],
    ]);
  });

  it('counts a different call, or a tool no McpServer serves, on its own', async () => {
    const before = await toolCalls();
    const trace = hex(32);
    await gatewayRecord(trace, hex(16));
    await clientSpan(trace, hex(16), 'everything_echo'); // another span of the same trace
    await clientSpan(trace, hex(16), 'crm.lookup'); // not an MCP tool: never paired
    expect(await toolCalls()).toBe(before + 3);
    expect((await inTrace(trace)).map((r) => [r.mcp_call, r.duplicate])).toEqual([
      ['gateway', 0],
      ['client', 0],
      [null, 0],
    ]);
  });

  // Without trace context (the AI SDK's MCP client sends none), by agent, Tool and time. Each test at
  // its own hour, so no record of another test is near in time.
  const untraced = (startedAt: number) => record(startedAt);
  const hourAgo = (h: number) => Date.now() - h * 3_600_000;
  const byStart = async (from: number, to: number) =>
    (
      await t.app.database.db
        .selectFrom('spans')
        .select(['source', 'mcp_call', 'duplicate'])
        .where('agent', '=', 'support-bot-eu')
        .where('start_at', '>=', new Date(from).toISOString())
        .where('start_at', '<=', new Date(to).toISOString())
        .orderBy('seq')
        .execute()
    ).map((r) => [r.source, r.mcp_call, r.duplicate]);

  it('pairs a call without trace context by agent, Tool and time, whichever record comes first', async () => {
    const before = await toolCalls();
    const a = hourAgo(5);
    await untraced(a + 500);
    await clientSpan(hex(32), hex(16), 'everything_echo', a, a + 1000);
    expect(await toolCalls()).toBe(before + 1);
    expect(await byStart(a - 1000, a + 2000)).toEqual([
      ['mcp', 'gateway_paired', 0],
      ['otlp', 'client', 1],
    ]);
    const b = hourAgo(6);
    await clientSpan(hex(32), hex(16), 'everything.echo', b, b + 1000);
    await untraced(b + 400);
    expect(await toolCalls()).toBe(before + 2);
    expect(await byStart(b - 1000, b + 2000)).toEqual([
      ['otlp', 'client_paired', 0],
      ['mcp', 'gateway', 1],
    ]);
  });

  it('pairs each record once: two calls, two counts; a record far from any other counts on its own', async () => {
    const before = await toolCalls();
    const a = hourAgo(7);
    await untraced(a + 100);
    await untraced(a + 300);
    await clientSpan(hex(32), hex(16), 'everything_echo', a, a + 400);
    await clientSpan(hex(32), hex(16), 'everything_echo', a + 50, a + 450);
    expect(await toolCalls()).toBe(before + 2);
    expect((await byStart(a - 1000, a + 2000)).filter(([, , dup]) => dup === 1)).toHaveLength(2);
    // Ten seconds apart: not the same call.
    const b = hourAgo(8);
    await untraced(b + 12_000);
    await clientSpan(hex(32), hex(16), 'everything_echo', b, b + 1000);
    expect(await toolCalls()).toBe(before + 4);
    expect(await byStart(b - 1000, b + 20_000)).toEqual([
      ['mcp', 'gateway', 0],
      ['otlp', 'client', 0],
    ]);
    // A record with trace context never pairs by time.
    const c = hourAgo(9);
    await record(c + 100, `00-${hex(32)}-${hex(16)}-01`);
    await clientSpan(hex(32), hex(16), 'everything_echo', c, c + 1000);
    expect(await toolCalls()).toBe(before + 6);
  });

  it('pairs a gateway record with a long client span that began minutes before it, and not one that began too long before', async () => {
    const before = await toolCalls();
    // A client span of six minutes (a tool the client waited on) that began five minutes before the
    // gateway's record: searched back far enough to be found.
    const a = hourAgo(10);
    await clientSpan(hex(32), hex(16), 'everything_echo', a, a + 360_000);
    await untraced(a + 300_000);
    expect(await toolCalls()).toBe(before + 1);
    expect(await byStart(a - 1000, a + 400_000)).toEqual([
      ['otlp', 'client_paired', 0],
      ['mcp', 'gateway', 1],
    ]);
    // One that began eleven minutes before (longer than any span searched back for): two counts.
    const b = hourAgo(11);
    await clientSpan(hex(32), hex(16), 'everything_echo', b, b + 700_000);
    await untraced(b + 660_000);
    expect(await toolCalls()).toBe(before + 3);
  });

  it('records a call without trace context in a trace of its own', async () => {
    calls.record({
      agent: 'support-bot-eu',
      tool: 'everything.echo',
      decisionId: 'dec-plain',
      startedAt: Date.now(),
      durationMs: 3,
      errorType: null,
    });
    await calls.flush();
    const row = await t.app.database.db
      .selectFrom('spans')
      .selectAll()
      .where('parent_span_id', 'is', null)
      .where('mcp_call', '=', 'gateway')
      .executeTakeFirstOrThrow();
    expect(row.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('tells an exporter whose spans carry nothing Fulcrum reads, and keeps them', async () => {
    const plain = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: hex(32),
                  spanId: hex(16),
                  name: 'GET /orders',
                  // A minute ago: a fixed 2025-11-28 fell past the evidence horizon (395 days) on 2026-12-28.
                  startTimeUnixNano: String(BigInt(Date.now() - 60_000) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(Date.now() - 59_000) * 1_000_000n),
                  attributes: [{ key: 'http.request.method', value: { stringValue: 'GET' } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await t.request({ method: 'POST', url: '/otlp/v1/traces', token: key, payload: plain });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '0',
        errorMessage: expect.stringMatching(/^none of the 1 spans carries an attribute Fulcrum reads/),
      },
    });
    expect(await t.app.database.db.selectFrom('spans').select('name').where('name', '=', 'GET /orders').execute()).toHaveLength(
      1,
    );
  });
});
