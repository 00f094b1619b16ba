// The rollups give at most MAX_MODELS_PER_DAY model names a row of their own per agent and day. On
// PostgreSQL two nodes storing a new name each for one agent and day both read the day's 49 names,
// both gave theirs a row, and the day ended with 51 (in evidence_daily and model_tasks_daily). A
// transaction that would give a day a new name now takes the day's lock first and reads its names
// again under it; the second of two racing nodes folds its name.
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createEvidenceStore, PAIRING_LOCKS } from '../../src/evidence/evidence-store.js';
import { MAX_MODELS_PER_DAY, MODEL_NAME_LOCKS, OTHER_UNREGISTERED } from '../../src/evidence/model-fold.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';
import { finishedOrWaitingOnLock, pauseQuery, selectsFrom } from '../support/pause.js';
import { taskSpans } from '../support/task-spans.js';

const AGENT = 'support-bot-eu';
const day = new Date().toISOString().slice(0, 10);

const taskOf = (model: string, n: number, agent = AGENT) => taskSpans({ model }, n, agent, day);

/** The model names with a row of their own for the agent's day, in each rollup. */
async function named(db: Kysely<Database>) {
  const daily = await db
    .selectFrom('evidence_daily')
    .select('model')
    .where('day', '=', day)
    .where('agent', '=', AGENT)
    .where('model', 'not in', ['', OTHER_UNREGISTERED])
    .execute();
  const tasks = await db
    .selectFrom('model_tasks_daily')
    .select('model')
    .where('day', '=', day)
    .where('agent', '=', AGENT)
    .where('mixed', '=', 0)
    .where('model', 'not in', ['', OTHER_UNREGISTERED])
    .execute();
  return { daily: daily.map((r) => r.model).sort(), tasks: tasks.map((r) => r.model).sort() };
}

describe.each(ENGINES)('the bound on model names per agent and day, under concurrent ingest (%s)', (engine) => {
  const dbs = perTestDatabases();
  let released: (() => void) | undefined;
  afterEach(() => released?.());

  it('holds when two connections each store a new name into a day with one name of room', async () => {
    const database = await dbs.create(engine);
    // Stops node A's ingest once it has read the day's names in evidence_daily, its transaction open.
    const pause = pauseQuery({ query: selectsFrom('evidence_daily') });
    released = pause.release;
    const setup = dbs.open(database);
    await migrateToLatest(setup);
    const first = createEvidenceStore(setup.db);
    for (let i = 0; i < MAX_MODELS_PER_DAY - 1; i++) await first.ingest([], taskOf(`seen-${i}`, i + 1));
    expect((await named(setup.db)).daily).toHaveLength(MAX_MODELS_PER_DAY - 1);

    const a: DatabaseHandle = dbs.open(database);
    const b: DatabaseHandle = dbs.open(database);
    const storeA = createEvidenceStore(a.db.withPlugin(pause.plugin));
    const storeB = createEvidenceStore(b.db);
    if (engine === 'postgres') {
      const ingestA = storeA.ingest([], taskOf('new-a', 1001));
      await pause.paused;
      // B runs to its end, or until it waits for a lock A holds; then A goes on.
      const { done } = await finishedOrWaitingOnLock(setup.db, storeB.ingest([], taskOf('new-b', 1002)), 'B to finish or wait');
      pause.release();
      await Promise.all([ingestA, done]);
    } else {
      // SQLite has one writer: the two ingests run one after the other whatever the connections.
      pause.release();
      await storeA.ingest([], taskOf('new-a', 1001));
      await storeB.ingest([], taskOf('new-b', 1002));
    }

    const after = await named(setup.db);
    expect(after.daily).toHaveLength(MAX_MODELS_PER_DAY);
    expect(after.tasks).toHaveLength(MAX_MODELS_PER_DAY);
    // Nothing is lost: the name that found no room is in the fold, its call and its task counted once.
    const totals = await setup.db
      .selectFrom('evidence_daily')
      .select((eb) => [eb.fn.sum<number>('model_calls').as('calls')])
      .where('day', '=', day)
      .where('agent', '=', AGENT)
      .executeTakeFirstOrThrow();
    expect(Number(totals.calls)).toBe(MAX_MODELS_PER_DAY + 1);
    const folded = await setup.db
      .selectFrom('model_tasks_daily')
      .select(['tasks', 'calls'])
      .where('day', '=', day)
      .where('agent', '=', AGENT)
      .where('model', '=', OTHER_UNREGISTERED)
      .execute();
    expect(folded.map((r) => [Number(r.tasks), Number(r.calls)])).toEqual([[1, 1]]);
  });
});

describe.skipIf(!ENGINES.includes('postgres'))('concurrent exports naming new names (postgres)', () => {
  const dbs = perTestDatabases();

  it('all commit (the days are locked in one order), and count every call and task once', async () => {
    const database = await dbs.create('postgres');
    const handles = Array.from({ length: 4 }, () => dbs.open(database));
    const stores = handles.map((h) => createEvidenceStore(h.db));
    // Each export names new names for two agents' days, in one order or the other: a transaction that
    // locked one day and waited for the other while its twin did the reverse would deadlock.
    const agents = [AGENT, 'other-bot'];
    const exports = Array.from({ length: 24 }, (_, n) =>
      (n % 2 ? [...agents].reverse() : agents).flatMap((agent, i) => taskOf(`m-${n}-${i}`, n * 10 + i + 1, agent)),
    );
    const results = await Promise.allSettled(
      exports.map((spans, n) => (stores[n % stores.length] as (typeof stores)[number]).ingest([], spans)),
    );
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const db = (handles[0] as DatabaseHandle).db;
    const calls = await db
      .selectFrom('evidence_daily')
      .select((eb) => eb.fn.sum<number>('model_calls').as('n'))
      .executeTakeFirstOrThrow();
    const tasks = await db
      .selectFrom('model_tasks_daily')
      .select((eb) => eb.fn.sum<number>('tasks').as('n'))
      .executeTakeFirstOrThrow();
    expect([Number(calls.n), Number(tasks.n)]).toEqual([48, 48]);
  });
});

// An export may name new names on as many agents' days as it has spans (a day each within the 395-day
// horizon, or a collector's agents): each took a lock of its own, 300 here, from PostgreSQL's shared
// lock table (max_locks_per_transaction × connections), and a few dozen such exports at once left every
// other transaction of the cluster "out of shared memory". The days share a bounded set of locks.
describe.skipIf(!ENGINES.includes('postgres'))('an export naming new names on many days (postgres)', () => {
  const dbs = perTestDatabases();
  let released: (() => void) | undefined;
  afterEach(() => released?.());

  it('holds a bounded number of locks', async () => {
    const database = await dbs.create('postgres');
    const setup = dbs.open(database);
    await migrateToLatest(setup);
    // Held once it writes the rollups, its locks taken.
    const pause = pauseQuery({
      query: (node) => node.kind === 'InsertQueryNode' && JSON.stringify(node.into).includes('"evidence_daily"'),
    });
    released = pause.release;
    const store = createEvidenceStore(dbs.open(database).db.withPlugin(pause.plugin));
    const days = Array.from({ length: 300 }, (_, i) => new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10));
    const ingest = store.ingest(
      [],
      days.flatMap((d, i) => taskSpans({ model: `new-${i}`, source: 'llm' }, i + 1, AGENT, d)),
    );
    await pause.paused;
    const held = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory'`.execute(setup.db);
    pause.release();
    await ingest;
    // The days' naming locks, and the agent's pairing lock (its spans are the LLM gateway's records).
    expect(held.rows[0]?.n).toBeLessThanOrEqual(MODEL_NAME_LOCKS + PAIRING_LOCKS);
    // Each day still got its name.
    const named = await setup.db.selectFrom('evidence_daily').select('model').where('model', 'like', 'new-%').execute();
    expect(named).toHaveLength(300);
  });
});
