// Tasks by model, rolled up at ingest (issue 20): the plan's model mix read the window's spans and
// grouped them by trace (1.3–1.9 s over 1M spans); it now reads a daily rollup, O(agents × days × models).
//
// A task is a trace with a task outcome, credited to a model when every model call in it is of that
// model (docs/insight.md "Model mix"). A trace's spans arrive in any order and in any number of
// exports, so the ingest keeps each trace's state so far (task_traces: outcomes, the model it saw and
// whether it saw another, calls, cost, tokens) and moves the trace's contribution in the daily rollup
// (model_tasks_daily) from its old state to its new one. task_traces is raw telemetry (retention
// purges it with the spans); model_tasks_daily is an aggregate and stays, as evidence_daily does.
//
// Both are filled here from the spans already stored, with the same definitions.
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

const INFERENCE = `(operation IN ('chat', 'text_completion', 'generate_content', 'embeddings') OR (operation IS NULL AND model_reported IS NOT NULL))`;

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    // Looked up by trace id (the key's first column) for each export's traces. On SQLite the key is
    // the table (WITHOUT ROWID): one B-tree to write per trace, not a table and an index.
    await db.schema
      .createTable('task_traces')
      .addColumn('trace_id', 'text', (c) => c.notNull())
      .addColumn('agent', 'text', (c) => c.notNull())
      // The day of the trace's earliest span: the day its task is booked to.
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('outcomes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('resolved_outcomes', 'integer', (c) => c.notNull().defaultTo(0))
      // The model of its model calls (model, else as reported); mixed = 1 once a second one appears.
      .addColumn('model', 'text')
      .addColumn('mixed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unpriced_calls', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('input_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('output_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('task_traces_pk', ['trace_id', 'agent'])
      .$call((b) => (adapter.engine === 'sqlite' ? b.modifyEnd(sql`WITHOUT ROWID`) : b))
      .execute();
    // Retention deletes by day.
    await db.schema.createIndex('task_traces_day').on('task_traces').columns(['day']).execute();

    // Per day, agent and model ('' with mixed = 1: several models in one trace; '' with mixed = 0: no
    // model call): the tasks and what their model calls cost.
    await db.schema
      .createTable('model_tasks_daily')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('mixed', 'integer', (c) => c.notNull())
      .addColumn('tasks', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('resolved', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unpriced_calls', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('input_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('output_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('model_tasks_daily_pk', ['day', 'agent', 'model', 'mixed'])
      .execute();

    // The spans kept so far, one pass: per trace and agent (booked to an agent: '' is booked to none),
    // then per day, agent and model.
    await sql`
      INSERT INTO task_traces (trace_id, agent, day, outcomes, resolved_outcomes, model, mixed, calls, unpriced_calls,
                               cost_usd, input_tokens, output_tokens)
      SELECT trace_id, agent, MIN(day), COUNT(task_outcome),
             SUM(CASE WHEN task_outcome = 'resolved' THEN 1 ELSE 0 END),
             MIN(m), CASE WHEN MIN(m) <> MAX(m) THEN 1 ELSE 0 END,
             SUM(inference), SUM(CASE WHEN inference = 1 AND cost_usd IS NULL THEN 1 ELSE 0 END),
             COALESCE(SUM(CASE WHEN inference = 1 THEN cost_usd END), 0),
             COALESCE(SUM(CASE WHEN inference = 1 THEN input_tokens END), 0),
             COALESCE(SUM(CASE WHEN inference = 1 THEN output_tokens END), 0)
      FROM (
        SELECT trace_id, agent, day, task_outcome, cost_usd, input_tokens, output_tokens, inference,
               CASE WHEN inference = 1 THEN COALESCE(model, model_reported) END AS m
        FROM (
          SELECT trace_id, agent, day, task_outcome, cost_usd, input_tokens, output_tokens, model, model_reported,
                 CASE WHEN ${sql.raw(INFERENCE)} THEN 1 ELSE 0 END AS inference
          FROM spans
          WHERE agent <> '' AND (task_outcome IS NOT NULL OR ${sql.raw(INFERENCE)})
        ) kept
      ) model_spans
      GROUP BY trace_id, agent`.execute(db);
    await sql`
      INSERT INTO model_tasks_daily (day, agent, model, mixed, tasks, resolved, calls, unpriced_calls, cost_usd,
                                     input_tokens, output_tokens)
      SELECT day, agent, model_key, mixed, COUNT(*), SUM(success), SUM(calls), SUM(unpriced_calls), SUM(cost_usd),
             SUM(input_tokens), SUM(output_tokens)
      FROM (
        SELECT day, agent, mixed, calls, unpriced_calls, cost_usd, input_tokens, output_tokens,
               CASE WHEN mixed = 1 THEN '' ELSE COALESCE(model, '') END AS model_key,
               CASE WHEN resolved_outcomes = outcomes THEN 1 ELSE 0 END AS success
        FROM task_traces
        WHERE outcomes > 0
      ) tasks
      GROUP BY day, agent, model_key, mixed`.execute(db);
  };
}
