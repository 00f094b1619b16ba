// A model name registered in the middle of a day, after the day's bound on names had folded its calls
// into "(other unregistered)": from then on its calls have a row of their own, and a correction of a
// call counted before (the LLM gateway's record of a call a client's span counted first) was taken
// from that row, not from the fold the call was counted in: the fold kept the call, the named row went
// below zero, and the task moved the same way. A call's figures and their corrections now stay in the
// row the call was counted on (docs/evidence.md "Model names in the rollups").
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createEvidenceStore } from '../../src/evidence/evidence-store.js';
import { MAX_MODELS_PER_DAY, OTHER_UNREGISTERED } from '../../src/evidence/model-fold.js';
import { ENGINES, perTestDatabases } from '../support/databases.js';
import { taskSpans } from '../support/task-spans.js';

const AGENT = 'support-bot-eu';
const day = new Date().toISOString().slice(0, 10);

async function rows(db: Kysely<Database>) {
  const daily = await db
    .selectFrom('evidence_daily')
    .select(['model', 'model_calls', 'unpriced_calls', 'cost_measured_usd'])
    .where('day', '=', day)
    .where('model', 'in', ['gpt-x', OTHER_UNREGISTERED])
    .orderBy('model')
    .execute();
  const tasks = await db
    .selectFrom('model_tasks_daily')
    .select(['model', 'tasks', 'calls', 'unpriced_calls', 'cost_usd'])
    .where('day', '=', day)
    .where('model', 'in', ['gpt-x', OTHER_UNREGISTERED])
    .orderBy('model')
    .execute();
  const n = (v: unknown) => Math.round(Number(v) * 1e6) / 1e6;
  return {
    daily: daily.map((r) => [r.model, n(r.model_calls), n(r.unpriced_calls), n(r.cost_measured_usd)]),
    tasks: tasks.map((r) => [r.model, n(r.tasks), n(r.calls), n(r.unpriced_calls), n(r.cost_usd)]),
  };
}

describe.each(ENGINES)('a model name registered in the middle of a day (%s)', (engine) => {
  const dbs = perTestDatabases();

  it("takes a correction from the row its call was counted on: the fold's, before the name had one", async () => {
    const database = await dbs.create(engine);
    const h = dbs.open(database);
    await migrateToLatest(h);
    const store = createEvidenceStore(h.db);
    for (let i = 0; i < MAX_MODELS_PER_DAY; i++) await store.ingest([], taskSpans({ model: `seen-${i}` }, i + 1, AGENT, day));
    // A client's span of a call of gpt-x, not yet registered: the day is full, the call is folded.
    await store.ingest([], taskSpans({ model: 'gpt-x', responseId: 'resp-1' }, 1001, AGENT, day));
    // gpt-x is registered now: its next call has a row of its own.
    await store.ingest([], taskSpans({ model: 'gpt-x', registered: true, costUsd: 0.01 }, 1002, AGENT, day));
    expect(await rows(h.db)).toEqual({
      daily: [
        [OTHER_UNREGISTERED, 1, 1, 0],
        ['gpt-x', 1, 0, 0.01],
      ],
      tasks: [
        [OTHER_UNREGISTERED, 1, 1, 1, 0],
        ['gpt-x', 1, 1, 0, 0.01],
      ],
    });
    // The LLM gateway's record of the first call: it counts in the client's span's place.
    await store.ingest(
      [],
      taskSpans({ model: 'gpt-x', registered: true, costUsd: 0.02, responseId: 'resp-1', source: 'llm' }, 2001, AGENT, day),
    );
    // The client's figures leave the fold they were counted in; the gateway's are gpt-x's, as is the
    // task (its one call is the gateway's now). No row goes below zero, and the day adds up the same.
    expect(await rows(h.db)).toEqual({
      daily: [
        [OTHER_UNREGISTERED, 0, 0, 0],
        ['gpt-x', 2, 0, 0.03],
      ],
      tasks: [
        [OTHER_UNREGISTERED, 0, 0, 0, 0],
        ['gpt-x', 2, 2, 0, 0.03],
      ],
    });
  });
});
