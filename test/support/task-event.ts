// A task.completed event as the evidence store is given it (POST /v1/events), ended now; `overrides`
// sets any column.
import type { TaskEventTable } from '../../src/db/schema.js';

export function taskEvent(agent: string, task: string, overrides: Partial<TaskEventTable> = {}): TaskEventTable {
  const now = new Date().toISOString();
  return {
    agent,
    task_id: task,
    type: 'task.completed',
    workflow: null,
    outcome: 'resolved',
    duration_ms: 100,
    started_at: null,
    ended_at: now,
    day: now.slice(0, 10),
    cost_usd: null,
    source: 'api',
    registered: 0,
    attributes: '{}',
    received_at: now,
    claimed_agent: null,
    sent_by: null,
    ...overrides,
  };
}
