// Admission and settlement batches on PostgreSQL take their row locks in one order (every rate window
// by agent, then every limit by name): two agents with rateLimits sharing a limit, admitted and
// settled in crossing batches, never deadlock. (Admissions used to lock call by call, and PostgreSQL
// failed one of the two transactions as a deadlock within a few rounds.)
import { describe, expect, it } from 'vitest';
import { minuteOf, reserveBatch, settleBatch } from '../../src/llm/ledger.js';
import type { ApplicableLimit } from '../../src/llm/limits.js';
import { startTestServer } from '../support/server.js';

describe.runIf(process.env.FULCRUM_TEST_DATABASE_URL)('ledger lock order (postgres)', () => {
  it('admits and settles crossing batches without a deadlock', async () => {
    const t = await startTestServer('postgres');
    try {
      const db = t.app.database.db;
      const now = new Date();
      const day = now.toISOString().slice(0, 10);
      const limit: ApplicableLimit = {
        name: 'shared',
        spec: { scope: { initiative: 'x' }, period: 'day', amountUsd: 1e6, enforce: 'block' } as ApplicableLimit['spec'],
        periodStart: day,
        amountMicro: 1e12,
      };
      const rate = { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 };
      const req = (agent: string, id: string) => ({
        id,
        agent,
        limits: [limit],
        costMicro: 1,
        tokens: 10,
        rate,
        now,
        expiresAt: new Date(now.getTime() + 600_000),
      });
      const settle = (agent: string, id: string) => ({
        id,
        agent,
        limits: [limit],
        costMicro: 1,
        minute: minuteOf(now),
        tokenDelta: -5,
        at: now,
      });
      await reserveBatch(db, [req('agent-a', 'init-a'), req('agent-b', 'init-b')]); // the rows exist
      const errors: string[] = [];
      for (let i = 0; i < 200 && errors.length === 0; i++) {
        const results = await Promise.allSettled([
          reserveBatch(db, [req('agent-b', `b${i}`), req('agent-a', `a${i}`)]),
          settleBatch(db, [settle('agent-a', `x${i}`), settle('agent-b', `y${i}`)]),
        ]);
        for (const r of results) if (r.status === 'rejected') errors.push(String((r.reason as Error).message));
      }
      expect(errors).toEqual([]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
