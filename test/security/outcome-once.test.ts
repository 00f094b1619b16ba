// A decision's outcome is reported once: a second report, or two at the same instant, cannot turn a
// success into a failure (or count a call twice) after the fact.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('reporting a decision outcome on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const allowed = async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'C-1' } },
    });
    expect(res.json().decision, res.body).toBe('allow');
    return res.json().decisionId as string;
  };
  const report = (id: string, outcome: 'succeeded' | 'failed') =>
    t.request({ method: 'POST', url: `/v1/decisions/${id}/outcome`, token: key, payload: { outcome, durationMs: 12 } });
  const outcomesOf = async (id: string) =>
    (await t.request({ method: 'GET', url: '/v1/audit?kind=call.outcome&limit=1000' }))
      .json()
      .items.filter((e: { detail: { decisionId?: string } }) => e.detail.decisionId === id);

  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  it('answers 409 to a second report and keeps the first', async () => {
    const id = await allowed();
    expect((await report(id, 'succeeded')).statusCode).toBe(204);
    const again = await report(id, 'failed');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(
      new RegExp(`^the outcome of decision ${id} was already reported \\(succeeded at `),
    );
    expect((await outcomesOf(id)).map((e: { detail: { outcome: string } }) => e.detail.outcome)).toEqual(['succeeded']);
  });

  it('records exactly one of two reports sent at the same instant', async () => {
    const id = await allowed();
    const answers = await Promise.all([report(id, 'succeeded'), report(id, 'failed'), report(id, 'failed')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 409, 409]);
    expect(await outcomesOf(id)).toHaveLength(1);
  });
});
