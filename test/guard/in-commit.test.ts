// Work done inside a decision's audit commit (the LLM gateway reserves spend there: one durable commit
// instead of two). It runs only for a decision that allows as decided at commit, sees the same
// transaction, and when it fails the decision still commits and the caller learns why.
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InCommit } from '../../src/guard/guard-service.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('work in a decision commit (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  // Asked in-process, as the gateways do for an agent authenticated without a key.
  const BOT = { id: 'support-bot-eu', keyId: '' };
  const lookup = { action: 'tool.call' as const, tool: 'crm.lookup', arguments: { customerId: 'c-1' } };
  const entries = async (id: string) =>
    (await t.app.database.db.selectFrom('audit_entries').select('id').where('id', '=', id).execute()).length;

  it('runs inside the transaction that commits the allowing decision, batched, and hands back its answer', async () => {
    const seen: string[][] = [];
    const task: InCommit<string, string> = {
      async batch(trx, requests) {
        seen.push(requests);
        // The same transaction: the head of this node's chain is locked by it, and a write here commits with it.
        const n = await sql<{ n: number }>`select count(*) as n from audit_chains`.execute(trx);
        expect(Number(n.rows[0]?.n)).toBeGreaterThan(0);
        return requests.map((r) => `reserved ${r}`);
      },
      request: (decisionId) => decisionId,
    };
    const [a, b] = await Promise.all([
      t.app.guard.decide(BOT, lookup, 'llm', task),
      t.app.guard.decide(BOT, lookup, 'llm', task),
    ]);
    expect(a?.decision).toBe('allow');
    expect(a?.inCommit).toEqual({ ok: true, value: `reserved ${a?.decisionId}` });
    expect(b?.inCommit).toEqual({ ok: true, value: `reserved ${b?.decisionId}` });
    // Both decisions of the group commit in one call.
    expect(seen).toEqual([[a?.decisionId, b?.decisionId]]);
  });

  it('does not run for a decision that does not allow', async () => {
    let ran = false;
    const task: InCommit<string, string> = {
      async batch(_trx, requests) {
        ran = true;
        return requests;
      },
      request: (id) => id,
    };
    const refund = { action: 'tool.call' as const, tool: 'crm.refund', arguments: { amount: 900, orderId: 'o-1' } };
    const d = await t.app.guard.decide(BOT, { ...refund, dataDomains: ['customer-records'] }, 'llm', task);
    expect(d.decision).toBe('approval_required');
    expect(ran).toBe(false);
    expect(d.inCommit).toBeUndefined();
  });

  it('rolls back only its own writes when it fails: the decision commits and the caller gets the error', async () => {
    const task: InCommit<string, string> = {
      async batch(trx) {
        await sql`update audit_chains set head_seq = -1`.execute(trx);
        throw new Error('no room');
      },
      request: (id) => id,
    };
    const d = await t.app.guard.decide(BOT, lookup, 'llm', task);
    expect(d.decision).toBe('allow');
    expect(d.inCommit?.ok).toBe(false);
    expect((d.inCommit as { error: Error }).error.message).toBe('no room');
    expect(await entries(d.decisionId)).toBe(1);
    const heads = await t.app.database.db.selectFrom('audit_chains').select('head_seq').execute();
    expect(heads.every((h) => h.head_seq >= 0)).toBe(true);
    // The chain still verifies.
    const verify = await t.request({ method: 'GET', url: '/v1/audit/verify' });
    expect(verify.statusCode, verify.body).toBe(200);
    expect(verify.json().ok).toBe(true);
  });
});
