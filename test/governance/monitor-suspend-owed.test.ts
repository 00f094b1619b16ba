// A sev1 monitor with suspendOnBreach opens its incident, then suspends the agents in scope: two writes.
// When the suspension failed (PostgreSQL ended it as a conflict three times, the database went away,
// the node stopped between them), every later run found the incident open and reported the breach
// `deduplicated`: the kill switch never tripped, on any node, for as long as the incident stayed open.
// The suspension the opening owed is now made by the next run; one a person lifts is not made again.
//
// The failure is real: a trigger on the table a suspension writes makes the database refuse it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('a monitor whose suspension failed after its incident opened, on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const exec = (q: string) => sql.raw(q).execute(t.app.database.db);
  const decide = (tool: string, args: object) =>
    t.request({ method: 'POST', url: '/v1/decisions', token: key, payload: { action: 'tool.call', tool, arguments: args } });
  const evaluate = async () => {
    const r = await t.request({ method: 'POST', url: '/v1/monitors/evaluate' });
    expect(r.statusCode, r.body).toBe(200);
    return (r.json().items as Array<Record<string, unknown>>).find((m) => m.monitor === 'kill-switch');
  };
  const status = async () => (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json().status;
  const refuseSuspensions = async (on: boolean) => {
    if (engine === 'postgres') {
      if (on) {
        await exec(`create function test_refuse() returns trigger language plpgsql as $$
          begin raise exception 'injected by the test' using errcode = '40001'; end $$`);
        await exec('create trigger test_refuse before insert on agent_controls for each row execute function test_refuse()');
      } else {
        await exec('drop trigger test_refuse on agent_controls');
        await exec('drop function test_refuse()');
      }
    } else if (on)
      await exec(
        `create trigger test_refuse before insert on agent_controls begin select raise(abort, 'injected by the test'); end`,
      );
    else await exec('drop trigger test_refuse');
  };

  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
    const put = await t.request({
      method: 'PUT',
      url: '/v1/monitors/kill-switch',
      payload: {
        spec: {
          metric: 'deny_rate',
          window: '1h',
          threshold: 0.5,
          minSamples: 5,
          severity: 'sev1',
          suspendOnBreach: true,
          agent: 'support-bot-eu',
        },
      },
    });
    expect(put.statusCode, put.body).toBe(201);
  });
  afterAll(async () => t?.close());

  it('suspends at the next run, and leaves a suspension a person lifted lifted', async () => {
    for (let i = 0; i < 6; i++) await decide('crm.refund', { amount: 'lots' }); // invalid arguments: deny

    await refuseSuspensions(true);
    const first = await evaluate();
    await refuseSuspensions(false);
    expect(first?.error).toMatch(/injected by the test/);
    const incidents = (await t.request({ method: 'GET', url: '/v1/incidents?status=open' })).json().items;
    const opened = incidents.filter((i: { source: string }) => i.source === 'monitor:kill-switch');
    expect(opened).toHaveLength(1);
    expect((await status()).effective).toBe('active');

    const next = await evaluate();
    expect(next).toMatchObject({ breached: true, incident: opened[0].id, deduplicated: true, suspended: ['support-bot-eu'] });
    expect((await status()).effective).toBe('suspended');
    expect((await status()).suspension.reason).toBe(`monitor kill-switch breached (${opened[0].id})`);

    // A person looked and lifted it, the incident still open: the monitor does not stop the agent again.
    const resumed = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/resume', payload: { reason: 'checked' } });
    expect(resumed.statusCode, resumed.body).toBe(200);
    const after = await evaluate();
    expect(after).toMatchObject({ breached: true, incident: opened[0].id, deduplicated: true });
    expect(after?.suspended).toBeUndefined();
    expect((await status()).effective).toBe('active');
  });
});
