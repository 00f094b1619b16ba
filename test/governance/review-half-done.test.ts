// A sign-off that completes a review is two writes: the sign-off, then the registry write that moves
// the stage and closes the review. When the second fails (PostgreSQL ends it as a conflict three times,
// the database goes away, the node stops), the answer says to try again, but the sign-off is in: trying
// again was refused ("already has an owner sign-off"), and the review stayed open with every sign-off
// given, the stage unmoved, and no new promotion possible (one open review per initiative), for ever.
//
// The failure is a real PostgreSQL serialisation failure (40001), raised by a trigger on the table the
// registry write inserts into.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { startCluster, type TestCluster } from '../support/server.js';

describe.skipIf(!ENGINES.includes('postgres'))('a review whose last sign-off was written but not its approval (postgres)', () => {
  let c: TestCluster;
  const exec = (q: ReturnType<typeof sql>) => q.execute(c.nodes[0]?.app.database.db as never);
  const failRegistryWrites = (on: boolean) => exec(sql`update test_fail_plan set on_ = ${on}`);
  const sign = (node: number, id: string) =>
    c.request(node, { method: 'POST', url: `/v1/reviews/${id}/sign-offs`, payload: { role: 'owner', decision: 'approve' } });
  const stageOf = async (name: string) =>
    (await c.request(1, { method: 'GET', url: `/v1/initiatives/${name}` })).json().spec.stage;

  beforeAll(async () => {
    c = await startCluster('postgres', [{}, {}]);
    expect((await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files: readMini() } })).statusCode).toBe(200);
    await exec(sql`create table test_fail_plan (on_ boolean not null)`);
    await exec(sql`insert into test_fail_plan values (false)`);
    await exec(
      sql.raw(`create function test_fail() returns trigger language plpgsql as $$
        begin
          if (select on_ from test_fail_plan) then
            raise exception 'injected by the test' using errcode = '40001';
          end if;
          return new;
        end $$`),
    );
    await exec(sql.raw('create trigger test_fail before insert on registry_changes for each row execute function test_fail()'));
  });
  afterAll(async () => c?.close());

  it('finishes the review when the sign-off is tried again, on either node', async () => {
    const put = await c.request(0, {
      method: 'PUT',
      url: '/v1/initiatives/half-done',
      payload: {
        spec: {
          title: 'half done',
          type: 'agent',
          stage: 'proposed',
          owner: 'dana.lee',
          businessUnit: 'cx',
          riskTier: 'minimal',
        },
      },
    });
    expect(put.statusCode, put.body).toBe(201);
    const opened = await c.request(0, { method: 'POST', url: '/v1/initiatives/half-done/promotions', payload: { to: 'pilot' } });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json().id as string;

    await failRegistryWrites(true);
    const failed = await sign(0, id);
    await failRegistryWrites(false);
    expect(failed.statusCode, failed.body).toBe(503);
    expect(failed.json().error.message).toMatch(/try again/);
    expect(await stageOf('half-done')).toBe('proposed');

    // As the answer says: the same sign-off again, here through the other node.
    const again = await sign(1, id);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'approved', pending: [] });
    expect(again.json().signOffs).toHaveLength(1);
    expect(await stageOf('half-done')).toBe('pilot');
    const acts = (await c.request(1, { method: 'GET', url: '/v1/audit?limit=200' })).json().items as Array<{
      kind: string;
      detail?: { review?: string };
    }>;
    expect(acts.filter((a) => a.kind === 'review.approved' && a.detail?.review === id)).toHaveLength(1);

    // And the initiative can be promoted again.
    const next = await c.request(1, {
      method: 'POST',
      url: '/v1/initiatives/half-done/promotions',
      payload: { to: 'production' },
    });
    expect(next.statusCode, next.body).toBe(201);
  });
});
