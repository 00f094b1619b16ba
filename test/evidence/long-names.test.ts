// Texts a span names that Fulcrum stores in an index or as a shadow agent's identity are bounded as a
// task event's are (found by review): on PostgreSQL a gen_ai.agent.name of a few kB failed the whole
// export (a unique index entry over ~2.7 kB), or the shadow-sighting batch it was in, losing every
// other identity seen in that second; SQLite stored any length.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { otlpExport } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
/** Random, so PostgreSQL cannot compress it under its index entry's bound. */
const LONG = randomBytes(2500).toString('hex');

describe.each(ENGINES)('long names in spans on %s', (engine) => {
  let t: TestServer;
  let agentKey = '';
  let collectorKey = '';

  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    agentKey = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    const put = await t.request({
      method: 'PUT',
      url: '/v1/telemetry-collectors/gw',
      payload: { spec: { owner: 'omar.owner', agents: ['support-bot-eu'] } },
    });
    expect(put.statusCode, put.body).toBe(201);
    collectorKey = (await t.request({ method: 'POST', url: '/v1/telemetry-collectors/gw/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  let n = 0;
  const span = (attributes: Record<string, string | number>) => {
    n++;
    const startMs = Date.now() - 60_000;
    return {
      traceId: `${'a'.repeat(24)}${String(n).padStart(8, '0')}`,
      spanId: `${'b'.repeat(8)}${String(n).padStart(8, '0')}`,
      name: 'invoke_agent',
      startMs,
      endMs: startMs + 1000,
      attributes,
    };
  };
  const send = (token: string, spans: ReturnType<typeof span>[]) =>
    t.request({ method: 'POST', url: '/otlp/v1/traces', token, payload: otlpExport(spans) });

  it('rejects a span naming an agent longer than an agent name, and keeps the rest of the export', async () => {
    const task = { 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'resolved' };
    const res = await send(collectorKey, [
      span({ ...task, 'gen_ai.agent.name': LONG }),
      span({ ...task, 'gen_ai.agent.name': 'support-bot-eu' }),
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().partialSuccess).toEqual({
      rejectedSpans: '1',
      errorMessage: 'span 0: gen_ai.agent.name must be 1 to 253 characters, got 5000',
    });
    const fromAgent = await send(agentKey, [span({ 'gen_ai.operation.name': 'chat', 'agent.name': LONG })]);
    expect(fromAgent.json().partialSuccess.errorMessage).toBe('span 0: agent.name must be 1 to 253 characters, got 5000');
    const tasks = await t.app.database.db.selectFrom('task_events').select(['agent', 'claimed_agent']).execute();
    expect(tasks).toEqual([{ agent: 'support-bot-eu', claimed_agent: null }]);
  });

  it("does not lose other agents' shadow sightings to one long name", async () => {
    const other = randomBytes(2500).toString('hex');
    await send(agentKey, [span({ 'gen_ai.operation.name': 'chat', 'gen_ai.agent.name': other })]);
    await send(agentKey, [span({ 'gen_ai.operation.name': 'chat', 'gen_ai.agent.name': 'x'.repeat(253) })]);
    await send(agentKey, [span({ 'gen_ai.operation.name': 'chat', 'gen_ai.agent.name': 'rogue-helper' })]);
    await expect(t.app.guard.flushShadows()).resolves.toBeUndefined();
    const shadows = (await t.request({ method: 'GET', url: '/v1/shadow-agents' })).json().items;
    expect(shadows.map((s: { identity: string }) => s.identity).sort()).toEqual([
      'telemetry:rogue-helper',
      `telemetry:${'x'.repeat(253)}`,
    ]);
  });

  it('rejects a workflow longer than a task event may name, and cuts a long error.type to 256 characters', async () => {
    const res = await send(agentKey, [
      span({ 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'failed', 'fulcrum.workflow': LONG }),
      span({ 'gen_ai.operation.name': 'chat', 'error.type': LONG }),
    ]);
    expect(res.json().partialSuccess).toEqual({
      rejectedSpans: '1',
      errorMessage: 'span 0: fulcrum.workflow must be at most 200 characters, got 5000',
    });
    const errors = await t.app.database.db.selectFrom('spans').select('error_type').where('error_type', 'is not', null).execute();
    expect(errors).toEqual([{ error_type: LONG.slice(0, 256) }]);
  });

  it('cuts a long operation name to 256 characters, as the other texts a span names', async () => {
    // Any operation is kept (only known ones are counted), and it was stored whole: a megabyte a span.
    const huge = `x${'y'.repeat(1_000_000)}`;
    const res = await send(agentKey, [span({ 'gen_ai.operation.name': huge, 'gen_ai.request.model': 'gpt-4o-mini' })]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().partialSuccess.errorMessage).toMatch(/^1 span carries model usage under gen_ai.operation.name "xyyy/);
    const ops = await t.app.database.db.selectFrom('spans').select('operation').where('operation', 'like', 'xy%').execute();
    expect(ops).toEqual([{ operation: huge.slice(0, 256) }]);
  });
});
