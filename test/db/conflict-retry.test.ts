// PostgreSQL ends a transaction as a conflict (40P01 deadlock, 40001 serialisation failure) and rolls it
// back whole. A suspension (the kill switch) and a registry write are tried again, up to three tries;
// past them, and for every other write, the request is answered 503 `unavailable` with Retry-After,
// saying nothing was written, instead of 500 "internal error".
//
// The conflicts are real PostgreSQL errors, raised by a trigger on the table the write inserts into, a
// set number of times (a sequence counts them: sequences are not rolled back with the transaction).

import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.skipIf(!ENGINES.includes('postgres'))('transactions PostgreSQL ends as conflicts (postgres)', () => {
  let t: TestServer;
  const exec = (q: ReturnType<typeof sql>) => q.execute(t.app.database.db);
  /** Makes the next `n` inserts into `table` fail with SQLSTATE `code`, and counts every insert tried. */
  const conflicts = async (table: 'agent_controls' | 'registry_changes', n: number, code = '40P01') => {
    await exec(sql`alter sequence test_conflict_tries restart with 1`);
    await exec(sql`update test_conflict_plan set remaining = ${n}, code = ${code}, tbl = ${table}`);
  };
  const tries = async () => {
    const r = await exec(sql`select last_value, is_called from test_conflict_tries`);
    const row = r.rows[0] as { last_value: string; is_called: boolean };
    return row.is_called ? Number(row.last_value) : 0;
  };
  const acts = async (kind: string) =>
    (await t.request({ method: 'GET', url: `/v1/audit?limit=200` })).json().items.filter((e: { kind: string }) => e.kind === kind)
      .length as number;

  beforeAll(async () => {
    t = await startTestServer('postgres');
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readMini() } })).statusCode).toBe(200);
    await exec(sql`create sequence test_conflict_tries`);
    await exec(sql`create table test_conflict_plan (remaining int not null, code text not null, tbl text not null)`);
    await exec(sql`insert into test_conflict_plan values (0, '40P01', '')`);
    await exec(
      sql.raw(`create function test_conflict() returns trigger language plpgsql as $$
        declare plan test_conflict_plan;
        begin
          select * into plan from test_conflict_plan;
          if plan.tbl = TG_TABLE_NAME and nextval('test_conflict_tries') <= plan.remaining then
            raise exception 'injected by the test' using errcode = plan.code;
          end if;
          return new;
        end $$`),
    );
    for (const table of ['agent_controls', 'registry_changes'])
      await exec(sql.raw(`create trigger test_conflict before insert on ${table} for each row execute function test_conflict()`));
  });
  afterAll(async () => t?.close());
  beforeEach(async () => conflicts('agent_controls', 0));

  it('a suspension ended by one deadlock is tried again, and goes through once', async () => {
    const before = await acts('agent.suspended');
    await conflicts('agent_controls', 1);
    const r = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/suspend', payload: { reason: 'kill switch' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(await tries()).toBe(2);
    expect((await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json().status.effective).toBe('suspended');
    expect(await acts('agent.suspended')).toBe(before + 1);
    const resumed = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/resume', payload: { reason: 'done' } });
    expect(resumed.statusCode).toBe(200);
  });

  it('past three tries: 503 with Retry-After, saying nothing was written, and nothing was', async () => {
    const before = await acts('agent.suspended');
    await conflicts('agent_controls', 100, '40001');
    const r = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/suspend', payload: { reason: 'kill switch' } });
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBe('1');
    expect(r.json().error).toMatchObject({ code: 'unavailable' });
    expect(r.json().error.message).toMatch(
      /conflict with another one \(PostgreSQL 40001\): nothing of it was written; try again/,
    );
    expect(await tries()).toBe(3);
    expect((await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json().status.effective).toBe('active');
    expect(await acts('agent.suspended')).toBe(before);
  });

  it('a registry write ended by a deadlock is tried again and committed once', async () => {
    const agent = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json();
    const changesBefore = (await exec(sql`select count(*)::int as n from registry_changes`)).rows[0] as { n: number };
    await conflicts('registry_changes', 2);
    const put = await t.request({
      method: 'PUT',
      url: '/v1/agents/support-bot-eu',
      payload: { spec: { ...agent.spec, description: 'changed through two deadlocks' } },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(await tries()).toBe(3);
    expect((await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json().spec.description).toBe(
      'changed through two deadlocks',
    );
    const changesAfter = (await exec(sql`select count(*)::int as n from registry_changes`)).rows[0] as { n: number };
    expect(changesAfter.n).toBe(changesBefore.n + 1);
  });
});
