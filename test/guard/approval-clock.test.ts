// Approvals expire by the database's clock, whichever node spends or decides them: a node whose clock
// ran behind the others' (by 10 minutes here) spent an approval every other node held as expired, and
// let an approver approve one, for as long as its clock was off. Real server processes on PostgreSQL.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { call, cli, type Served, serve, stop } from '../support/process.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const SKEWED = pathToFileURL(path.resolve(import.meta.dirname, '../support/skewed-clock.mjs')).href;
const ADMIN = 'fat_approval-clock-admin';
const refund = (orderId: string) => ({
  action: 'tool.call',
  tool: 'crm.refund',
  arguments: { amount: 40, orderId },
  dataDomains: ['customer-records'],
});

describe.skipIf(!process.env.FULCRUM_TEST_DATABASE_URL)('approvals across nodes whose clocks differ', () => {
  let db: TestDatabase;
  let a: Served;
  let behind: Served;
  let key: string;
  let approver: string;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      FULCRUM_DATA_DIR: db.dir,
      FULCRUM_ADMIN_TOKEN: ADMIN,
      FULCRUM_LOG_LEVEL: 'warn',
      FULCRUM_DATABASE_URL: db.url,
      FULCRUM_APPROVAL_TTL_SECONDS: '2',
    };
    a = await serve(env);
    behind = await serve({ ...env, NODE_OPTIONS: `--import ${SKEWED}`, FULCRUM_TEST_CLOCK_SKEW_MS: String(-10 * 60_000) });
    const applied = await cli({ ...env, FULCRUM_URL: a.url, FULCRUM_TOKEN: ADMIN }, 'apply', '-f', MINI);
    expect(applied.code, applied.stderr).toBe(0);
    key = (await call(a.url, ADMIN, 'POST', '/v1/agents/support-bot-eu/keys')).json.key;
    await call(a.url, ADMIN, 'PUT', '/v1/people/alex.approver', { spec: { displayName: 'Alex', roles: ['approver'] } });
    approver = (await call(a.url, ADMIN, 'POST', '/v1/people/alex.approver/tokens')).json.token;
  }, 120_000);
  afterAll(async () => {
    await stop(a);
    await stop(behind);
    await db?.drop();
  });

  /** An approval asked for on the node whose clock is right, once it has expired there. */
  async function expired(orderId: string, approve: boolean): Promise<string> {
    const asked = await call(a.url, key, 'POST', '/v1/decisions', refund(orderId));
    expect(asked.json.decision).toBe('approval_required');
    const id = asked.json.approvalId as string;
    if (approve) expect((await call(a.url, approver, 'POST', `/v1/approvals/${id}/approve`, {})).status).toBe(200);
    await vi.waitFor(
      async () => expect((await call(a.url, approver, 'GET', `/v1/approvals/${id}`)).json.status).toBe('expired'),
      {
        timeout: 10_000,
        interval: 100,
      },
    );
    return id;
  }

  it('does not let the node whose clock is behind spend an approval that has expired', async () => {
    const id = await expired('o-1', true);
    const spent = await call(behind.url, key, 'POST', '/v1/decisions', { ...refund('o-1'), approvalId: id });
    expect(spent.status).toBe(409);
    expect(spent.json.error.message).toMatch(new RegExp(`approval ${id} expired at`));
  });

  it('does not let an approver approve, through that node, an approval that has expired', async () => {
    const id = await expired('o-2', false);
    const approved = await call(behind.url, approver, 'POST', `/v1/approvals/${id}/approve`, {});
    expect(approved.status).toBe(409);
    expect(approved.json.error.message).toMatch(new RegExp(`approval ${id} expired at`));
  });

  it('tells an approval expired on that node too, read one by one or listed', async () => {
    const id = await expired('o-4', false);
    expect((await call(behind.url, approver, 'GET', `/v1/approvals/${id}`)).json.status).toBe('expired');
    const pending = (await call(behind.url, approver, 'GET', '/v1/approvals?status=pending')).json.items;
    expect(pending.map((x: { id: string }) => x.id)).not.toContain(id);
  });

  it('opens an approval on that node that lasts its time by the database clock', async () => {
    const asked = await call(behind.url, key, 'POST', '/v1/decisions', refund('o-3'));
    expect(asked.json.decision).toBe('approval_required');
    // Its expiry, ten minutes early by that node's clock, was already past by every other's.
    const seen = await call(a.url, approver, 'GET', `/v1/approvals/${asked.json.approvalId}`);
    expect(seen.json.status).toBe('pending');
    expect((await call(a.url, approver, 'POST', `/v1/approvals/${asked.json.approvalId}/approve`, {})).status).toBe(200);
  });
});
