// The named rows an export's days have in a rollup (model-fold.ts) were read as a cross product:
// every named row of the export's agents on any of its days. An export spread over 512 agents and 395
// days read the whole grid of them (twice when it gave a day a new name) for the few hundred (agent,
// day) pairs it books to. Only the pairs the export touches are read now; the answer is the same.
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ZERO } from '../../src/evidence/evidence-store.js';
import { loadModelFold, MAX_MODELS_PER_DAY, OTHER_UNREGISTERED } from '../../src/evidence/model-fold.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';

const AGENTS = 12;
const DAYS = 12;
const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n)).toISOString().slice(0, 10);
const agent = (n: number) => `agent-${String(n).padStart(2, '0')}`;

/** Counts the rows queries on `table` bring back. */
function rowsReadFrom(table: string) {
  const picked = new Set<unknown>();
  const read = { rows: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      if (node.kind === 'SelectQueryNode' && JSON.stringify(node.from).includes(`"${table}"`)) picked.add(queryId);
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      if (picked.delete(queryId)) read.rows += result.rows.length;
      return result;
    },
  };
  return { plugin, read };
}

describe.each(ENGINES)('the named rows an export reads for its model fold (%s)', (engine) => {
  const dbs = perTestDatabases();

  it.each(['evidence_daily', 'model_tasks_daily'] as const)('%s: only the (agent, day) pairs it books to', async (table) => {
    const handle = dbs.open(await dbs.create(engine));
    await migrateToLatest(handle);
    const db = handle.db;
    // Every agent has two names on every day; the first agent's first day has all its room taken.
    const rows: Array<{ day: string; agent: string; model: string }> = [];
    for (let a = 0; a < AGENTS; a++)
      for (let d = 0; d < DAYS; d++) {
        const names = a === 0 && d === 0 ? MAX_MODELS_PER_DAY : 2;
        for (let m = 0; m < names; m++) rows.push({ day: day(d), agent: agent(a), model: `name-${m}` });
        rows.push({ day: day(d), agent: agent(a), model: OTHER_UNREGISTERED });
      }
    for (let i = 0; i < rows.length; i += 200) {
      const slice = rows.slice(i, i + 200);
      if (table === 'evidence_daily')
        await db
          .insertInto('evidence_daily')
          .values(slice.map((r) => ({ ...r, ...ZERO })))
          .execute();
      else
        await db
          .insertInto('model_tasks_daily')
          .values(
            slice.map((r) => ({
              ...r,
              mixed: 0,
              tasks: 1,
              resolved: 1,
              calls: 1,
              unpriced_calls: 0,
              cost_usd: 0,
              input_tokens: 0,
              output_tokens: 0,
            })),
          )
          .execute();
    }
    // An export spread over every agent and every day, each agent on a day of its own.
    const pairs = Array.from({ length: AGENTS }, (_, n) => ({ day: day(n % DAYS), agent: agent(n) }));
    const counting = rowsReadFrom(table);
    const fold = await loadModelFold(db.withPlugin(counting.plugin), table, pairs);
    // Its pairs' named rows (two each, fifty on the full day), not the whole grid's.
    expect(counting.read.rows).toBe((AGENTS - 1) * 2 + MAX_MODELS_PER_DAY);
    const adds = { registered: false, adds: true };
    expect(fold.rowFor(day(0), agent(0), 'name-49', adds)).toBe('name-49');
    expect(fold.rowFor(day(0), agent(0), 'new-name', adds)).toBe(OTHER_UNREGISTERED);
    expect(fold.names(day(0), agent(0), 'new-name', adds)).toBe(false);
    expect(fold.names(day(1), agent(1), 'new-name', adds)).toBe(true);
    expect(fold.rowFor(day(1), agent(1), 'name-1', adds)).toBe('name-1');
    expect(fold.rowFor(day(1), agent(1), 'new-name', adds)).toBe('new-name');
  });
});
