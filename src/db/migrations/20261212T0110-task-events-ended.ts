// Task events by when they ended (found by review): the rate monitors (error_rate, escalation_rate,
// cost_per_day) read a window of task_events by ended_at, which no index led with, so each check
// scanned the whole table: on 1M events ~770 ms on SQLite and ~240 ms on PostgreSQL (a parallel
// sequential scan), per monitor, every interval; with the index ~0.3 ms and ~1 ms
// (bench/monitors/window.mjs).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await sql`CREATE INDEX task_events_ended ON task_events (ended_at)`.execute(db);
  };
}
