// An agent's owner (no role needed) issues and revokes its keys, and every node reads every agent key
// into memory. Issuing keys in a loop grew that table without end, and a key revoked long ago, once
// presented, made the node reload its whole snapshot on every request. Now a subject holds at most 50
// live credentials and is issued at most 100 a day, and the snapshot holds only keys revoked in the last day.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ISSUED_PER_DAY, MAX_LIVE_CREDENTIALS } from '../../src/auth/auth-service.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('credentials one subject may hold', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  const issue = () => t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys', payload: {} });
  const revoke = (id: string) => t.request({ method: 'DELETE', url: `/v1/agents/support-bot-eu/keys/${id}` });

  it('refuses a key past 50 live ones, and past 100 issued in a day, saying why', async () => {
    const ids: string[] = [];
    for (let i = 0; i < MAX_LIVE_CREDENTIALS; i++) {
      const res = await issue();
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    const full = await issue();
    expect(full.statusCode).toBe(409);
    expect(full.json().error.message).toBe(
      'Agent "support-bot-eu" holds 50 live keys, the most one may: revoke one it no longer uses first',
    );
    // Revoke and issue until the day's issuance is spent.
    for (let i = MAX_LIVE_CREDENTIALS; i < MAX_ISSUED_PER_DAY; i++) {
      expect((await revoke(ids.shift() as string)).statusCode).toBe(204);
      const res = await issue();
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    expect((await revoke(ids.shift() as string)).statusCode).toBe(204);
    const spent = await issue();
    expect(spent.statusCode).toBe(409);
    expect(spent.json().error.message).toBe(
      'Agent "support-bot-eu" was issued 100 keys in the last 24 hours, the most one may be: try again later',
    );
    // Another agent's keys are another count.
    expect((await t.request({ method: 'POST', url: '/v1/telemetry-collectors/none/keys', payload: {} })).statusCode).toBe(404);
  });

  it('a key revoked days ago is refused as revoked, found in the database, and reloads nothing', async () => {
    const spec = { initiative: 'support-deflection', archetype: 'support-agent', owner: 'omar.owner' };
    expect((await t.request({ method: 'PUT', url: '/v1/agents/old-bot', payload: { spec } })).statusCode).toBe(201);
    const issued = (await t.request({ method: 'POST', url: '/v1/agents/old-bot/keys', payload: {} })).json();
    expect((await t.request({ method: 'DELETE', url: `/v1/agents/old-bot/keys/${issued.id}` })).statusCode).toBe(204);
    await t.app.database.db
      .updateTable('credentials')
      .set({ revoked_at: new Date(Date.now() - 3 * 86_400_000).toISOString() })
      .where('id', '=', issued.id)
      .execute();
    t.app.guard.invalidate(); // as after any later change: the next snapshot is read without it
    const before = await t.app.guard.snapshot();
    expect([...before.keys.values()].some((k) => k.keyId === issued.id)).toBe(false);
    for (let i = 0; i < 3; i++) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: issued.key,
        payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c' } },
      });
      expect(res.statusCode).toBe(401);
    }
    expect(await t.app.guard.snapshot()).toBe(before);
  });
});
