// Task events booked to no agent (a collector key naming an agent it may not speak for) are each kept
// and reported: their identity is who sent them and whom they claimed, not the empty agent they share.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('task events booked to no agent on %s', (engine) => {
  let t: TestServer;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    for (const name of ['gw-one', 'gw-two']) {
      const put = await t.request({
        method: 'PUT',
        url: `/v1/telemetry-collectors/${name}`,
        payload: { spec: { owner: 'omar.owner', agents: ['support-bot-eu'] } },
      });
      expect(put.statusCode, put.body).toBe(201);
      keys[name] = (await t.request({ method: 'POST', url: `/v1/telemetry-collectors/${name}/keys` })).json().key;
    }
  });
  afterAll(async () => t?.close());

  const send = (collector: string, events: Array<{ agent: string; taskId: string }>) =>
    t.request({
      method: 'POST',
      url: '/v1/events',
      token: keys[collector],
      payload: {
        events: events.map((e) => ({
          type: 'task.completed',
          outcome: 'resolved',
          durationMs: 1000,
          endedAt: new Date(Date.now() - 60_000).toISOString(),
          ...e,
        })),
      },
    });

  it('keeps and reports each claim of the same task id, and counts a re-send once', async () => {
    const first = await send('gw-one', [
      { agent: 'rogue-a', taskId: 'T-1' },
      { agent: 'rogue-b', taskId: 'T-1' },
    ]);
    expect(first.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    // Another collector claiming the same agent for the same task id is another mismatch.
    expect((await send('gw-two', [{ agent: 'rogue-a', taskId: 'T-1' }])).json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    // The same event again, from the same collector, is a re-send (accepted, counted once).
    expect((await send('gw-one', [{ agent: 'rogue-b', taskId: 'T-1' }])).json()).toEqual({
      accepted: 1,
      duplicates: 1,
      rejected: [],
    });
    const signals = await t.request({ method: 'GET', url: '/v1/signals' });
    expect(signals.statusCode, signals.body).toBe(200);
    const mismatches = (signals.json().attributionMismatches as Array<Record<string, unknown>>)
      .map((m) => [m.sentBy, m.claimedAgent, m.bookedTo, m.events])
      .sort();
    expect(mismatches).toEqual([
      ['collector:gw-one', 'rogue-a', null, 1],
      ['collector:gw-one', 'rogue-b', null, 1],
      ['collector:gw-two', 'rogue-a', null, 1],
    ]);
    // None of them is any agent's task: no cost, no outcome, no rollup row.
    const rollup = await t.app.database.db.selectFrom('evidence_daily').selectAll().execute();
    expect(rollup).toEqual([]);
    // A booked event with the same task id is still the listed agent's own.
    expect((await send('gw-one', [{ agent: 'support-bot-eu', taskId: 'T-1' }])).json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    expect((await send('gw-two', [{ agent: 'support-bot-eu', taskId: 'T-1' }])).json()).toEqual({
      accepted: 1,
      duplicates: 1,
      rejected: [],
    });
  });
});
