// A database written by an older release, full of its own data, migrates to this one and serves it
// as that release did: the same costs, outcomes and ROI, an audit chain that verifies across the
// upgrade, approvals left open that can still be decided and spent, and decisions that go on. The
// fixtures are what release fff0509 (the first wave, issue 8 merged: 9 migrations) wrote and read;
// test/fixtures/upgrade/README.md says how to make them again.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDatabaseFrom, ENGINES, type Engine, type TestDatabase } from '../support/databases.js';
import { cli } from '../support/process.js';
import { startNode } from '../support/server.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/upgrade');

interface Written {
  readAt: string;
  admin: string;
  agentKey: string;
  personToken: string;
  approvals: Record<'pending' | 'approve' | 'deny', { id: string; request: Record<string, unknown> }>;
  read: Record<string, unknown>;
}

/** A copy of the old release's database on `engine`, not yet migrated. */
function restore(engine: Engine): Promise<TestDatabase> {
  const fixture = (name: string) => zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, name)));
  return createDatabaseFrom(engine, {
    sqlite: (file) => fs.writeFileSync(file, fixture('first-wave.sqlite.gz')),
    postgres: async (url) => {
      // pg_dump's script sets search_path for its session: one client of its own, closed after.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(fixture('first-wave.postgres.sql.gz').toString('utf8'));
      await client.end();
    },
  });
}

/**
 * Where `now` reads other than `old` did: each field `old` has (new fields are not differences). Since
 * d6da420 progress and ROI value are taken over an outcome as measured, where the first wave took them
 * over `current` rounded to 4 places (docs/operations.md, Upgrading): those move by that rounding, no more.
 */
function differ(now: unknown, old: unknown, at: string): string[] {
  if (typeof old === 'number' && typeof now === 'number') {
    const rounding = /\.(progress|value|total)$/.test(at) ? 1e-3 * Math.max(1, Math.abs(old)) : 0;
    return Math.abs(now - old) <= rounding ? [] : [`${at}: ${old} → ${now}`];
  }
  if (old === null || typeof old !== 'object')
    return Object.is(now, old) ? [] : [`${at}: ${JSON.stringify(old)} → ${JSON.stringify(now)}`];
  if (now === null || typeof now !== 'object') return [`${at}: ${JSON.stringify(old)} → ${JSON.stringify(now)}`];
  return Object.entries(old).flatMap(([k, v]) => differ((now as Record<string, unknown>)[k], v, `${at}.${k}`));
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe.each(ENGINES)('a database the first wave wrote, upgraded (%s)', (engine) => {
  it('migrates, serves the old numbers the same, verifies its audit chain, and decides on', async () => {
    const written = JSON.parse(fs.readFileSync(path.join(FIXTURES, `first-wave.${engine}.json`), 'utf8')) as Written;
    const database = await restore(engine);
    cleanup.push(() => database.drop());
    // The test runs at the instant the old release read: windows such as the last 30 days cover the
    // same days, and the decisions after the upgrade meet the registry's dates (its budget period, its
    // pilots' ages) as they stood then, whenever the test runs.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(written.readAt) });
    const { app, server } = await startNode(database, { adminToken: written.admin });
    cleanup.push(async () => {
      await server.close();
      await app.close();
    });
    const request = async (method: 'GET' | 'POST', url: string, token: string, payload?: object) => {
      const res = await server.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
      return { status: res.statusCode, body: res.body ? res.json() : undefined };
    };

    const differences: string[] = [];
    for (const [url, old] of Object.entries(written.read)) {
      const now = await request('GET', url, written.admin);
      expect(now.status, url).toBe(200);
      differences.push(...differ(now.body, old, url));
    }
    expect(differences).toEqual([]);

    const verified = await request('GET', '/v1/audit/verify', written.admin);
    expect(verified.body).toMatchObject({ ok: true });

    // An approval open at the upgrade can still be decided, by whoever could decide it before. Since
    // e0fb2a6 a call is decided on its Tool's data domains as well as those it names, and an approval is
    // bound to that set: crm.refund declares customer-profiles, which the first wave's calls did not
    // name, so an approval made before the upgrade does not match the same call after it. It is
    // refused (409, naming both sets) rather than spent on more than the person was shown, and the
    // agent asks again (docs/operations.md, Upgrading).
    const { pending, approve, deny } = written.approvals;
    const granted = await request('POST', `/v1/approvals/${pending.id}/approve`, written.personToken, {
      comment: 'after the upgrade',
    });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    for (const a of [pending, approve]) {
      const spent = await request('POST', '/v1/decisions', written.agentKey, { ...a.request, approvalId: a.id });
      expect(spent.status, a.id).toBe(409);
      expect(JSON.stringify(spent.body), a.id).toContain(
        'touching data domains [payment-data], and this one touches [customer-profiles, payment-data]',
      );
    }
    const denied = await request('POST', '/v1/decisions', written.agentKey, { ...deny.request, approvalId: deny.id });
    expect(denied.status).toBe(409);
    const asked = await request('POST', '/v1/decisions', written.agentKey, pending.request);
    expect(asked.body).toMatchObject({ decision: 'approval_required' });
    const { approvalId } = asked.body as { approvalId: string };
    expect((await request('POST', `/v1/approvals/${approvalId}/approve`, written.personToken, {})).status).toBe(200);
    const spent = await request('POST', '/v1/decisions', written.agentKey, { ...pending.request, approvalId });
    expect(spent.body).toMatchObject({ decision: 'allow' });
    const again = await request('POST', '/v1/decisions', written.agentKey, { ...pending.request, approvalId });
    expect(again.status).toBe(409);

    // New decisions go on, on the old key.
    const small = await request('POST', '/v1/decisions', written.agentKey, {
      action: 'tool.call',
      tool: 'kb.search',
      arguments: { query: 'return label' },
      taskId: 'after-upgrade',
    });
    expect(small.body, JSON.stringify(small.body)).toMatchObject({ decision: 'allow' });

    // The chain verifies across the upgrade, through the API and the CLI (which reads the database itself).
    const after = await request('GET', '/v1/audit/verify', written.admin);
    expect(after.body).toMatchObject({ ok: true });
    expect((after.body as { entries: number }).entries).toBeGreaterThan(
      (written.read['/v1/audit/verify'] as { entries: number }).entries,
    );
    const env = engine === 'sqlite' ? { FULCRUM_DATA_DIR: database.dir } : { FULCRUM_DATABASE_URL: database.url };
    const verify = await cli({ ...process.env, FULCRUM_DATABASE_URL: '', ...env }, 'audit', 'verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 60_000);
});
