// Evidence: task events, OTLP spans with their cost, daily rollups, manual measurements.
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('task_events')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('workflow', 'text')
      .addColumn('outcome', 'text')
      .addColumn('duration_ms', 'integer')
      .addColumn('started_at', 'text')
      .addColumn('ended_at', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('cost_usd', 'double precision')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('registered', 'integer', (c) => c.notNull())
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('task_events_pk', ['agent', 'task_id', 'type'])
      .execute();
    await db.schema.createIndex('task_events_day').on('task_events').columns(['day', 'agent']).execute();

    await db.schema
      .createTable('spans')
      .addColumn('trace_id', 'text', (c) => c.notNull())
      .addColumn('span_id', 'text', (c) => c.notNull())
      .addColumn('parent_span_id', 'text')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('registered', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('operation', 'text')
      .addColumn('start_at', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addColumn('model_reported', 'text')
      .addColumn('model', 'text')
      .addColumn('provider', 'text')
      .addColumn('input_tokens', 'integer')
      .addColumn('output_tokens', 'integer')
      .addColumn('cached_tokens', 'integer')
      .addColumn('cost_usd', 'double precision')
      .addColumn('tool', 'text')
      .addColumn('error_type', 'text')
      .addColumn('task_outcome', 'text')
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('spans_pk', ['trace_id', 'span_id'])
      .execute();
    await db.schema.createIndex('spans_day').on('spans').columns(['day', 'agent']).execute();

    // One row per day, agent and model ('' when none): what every dashboard and report reads.
    await db.schema
      .createTable('evidence_daily')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('tasks_resolved', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tasks_escalated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tasks_failed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tasks_abandoned', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tasks_started', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('handoffs', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('handle_ms', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('handled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cost_measured_usd', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('cost_reported_usd', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cached_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('model_calls', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unpriced_calls', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tool_calls', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('spans', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('evidence_daily_pk', ['day', 'agent', 'model'])
      .execute();

    await db.schema
      .createTable('measurements')
      .addColumn('id', adapter.autoIncrementType, (c) => adapter.autoIncrement(c))
      .addColumn('initiative', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('provenance', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('measurements_metric').on('measurements').columns(['initiative', 'metric', 'period']).execute();
  };
}
