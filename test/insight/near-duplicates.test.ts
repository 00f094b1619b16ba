// Near-duplicate agents at the size of a standardised enterprise: every agent of one archetype shares
// its tools, so nearly every pair across initiatives is one. The pairs are counted, and listed up to a
// bound, most alike first; the listing and the count agree with the definition pair by pair.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEAR_DUPLICATE_LIMIT, nearDuplicates } from '../../src/insight/near-duplicates.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { applyWorld, doc, initiative } from './world.js';

/** Every pair by the definition (docs/insight.md "Signals"), most alike first, then by name. */
function bruteForce(agents: Array<{ name: string; initiative: string; tools: Set<string> }>) {
  const sorted = [...agents].sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: Array<{ agents: [string, string]; sharedTools: string[]; similarity: number }> = [];
  for (let i = 0; i < sorted.length; i++)
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i] as (typeof sorted)[number];
      const b = sorted[j] as (typeof sorted)[number];
      if (a.initiative === b.initiative) continue;
      const shared = [...a.tools].filter((t) => b.tools.has(t)).sort();
      const similarity = shared.length / new Set([...a.tools, ...b.tools]).size;
      if (shared.length >= 2 && similarity >= 0.6)
        out.push({ agents: [a.name, b.name], sharedTools: shared, similarity: Math.round(similarity * 100) / 100 });
    }
  // A stable sort keeps the name order within a similarity.
  return out.sort((x, y) => y.similarity - x.similarity);
}

describe('near-duplicate agents', () => {
  it('lists the first pairs and counts them all as the definition does', () => {
    const agent = fc.record({
      name: fc.constantFrom(...'abcdefghijklmnopqrst'.split('')),
      initiative: fc.constantFrom('i1', 'i2', 'i3', 'i4'),
      tools: fc.uniqueArray(fc.constantFrom('t1', 't2', 't3', 't4', 't5'), { maxLength: 5 }).map((t) => new Set(t)),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(agent, { selector: (a) => a.name, maxLength: 20 }),
        fc.integer({ min: 1, max: 30 }),
        (agents, limit) => {
          const all = bruteForce(agents);
          const found = nearDuplicates(agents, limit);
          expect(found.total).toBe(all.length);
          expect(found.pairs).toEqual(all.slice(0, limit));
        },
      ),
      { numRuns: 500 },
    );
  });

  describe('over HTTP, 600 agents of one archetype in 60 initiatives', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer('sqlite');
      const docs: object[] = [
        ...['t-a', 't-b', 't-c'].map((n) => doc('Tool', n, { system: 's', effect: 'read', dataDomains: [] })),
        doc('Archetype', 'standard', { autonomy: 'supervised', frameworks: ['fw'], tools: ['t-a', 't-b', 't-c'] }),
      ];
      for (let i = 0; i < 60; i++) {
        docs.push(initiative(`i${i}`, { stage: 'production' }));
        for (let j = 0; j < 10; j++)
          docs.push(doc('Agent', `a${i}-${j}`, { initiative: `i${i}`, archetype: 'standard', owner: 'ann', framework: 'fw' }));
      }
      await applyWorld(t, docs);
    }, 60_000);
    afterAll(async () => t?.close());

    it('/v1/signals counts 177,000 pairs and lists the first 100 (it answered 14 MB of them)', async () => {
      const res = await t.request({ method: 'GET', url: '/v1/signals' });
      expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
      expect(res.rawPayload.length).toBeLessThan(200_000);
      const sprawl = res.json().agentSprawl;
      // C(600, 2) pairs, less the 45 within each of the 60 initiatives.
      expect(sprawl.nearDuplicatePairs).toBe(600 * 299.5 - 60 * 45);
      expect(sprawl.nearDuplicates).toHaveLength(NEAR_DUPLICATE_LIMIT);
      expect(sprawl.nearDuplicates[0]).toEqual({ agents: ['a0-0', 'a1-0'], sharedTools: ['t-a', 't-b', 't-c'], similarity: 1 });
      expect(sprawl.perArchetype).toEqual([{ archetype: 'standard', agents: expect.arrayContaining(['a59-9']) }]);
    });

    it('the Markdown report counts every pair, not the ones listed', async () => {
      const res = await t.request({ method: 'GET', url: '/v1/report?format=md' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('177000 pair(s) of agents in different initiatives');
    });
  });
});
