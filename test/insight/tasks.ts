// Completed tasks for the insight tests, sent as an agent sends them (POST /v1/events, its own key).
import { expect } from 'vitest';
import type { TestServer } from '../support/server.js';

/** Agent `a-<name>` reports `n` tasks ended at `atMs`, the first `resolved` resolved (the rest
 *  escalated), costing `cost` USD in all (none reported when 0). Returns the agent's key. */
export async function sendTasks(
  t: TestServer,
  name: string,
  { n, resolved, cost }: { n: number; resolved: number; cost: number },
  atMs: number,
): Promise<string> {
  const key = (await t.request({ method: 'POST', url: `/v1/agents/a-${name}/keys` })).json().key as string;
  const events = Array.from({ length: n }, (_, k) => ({
    type: 'task.completed',
    taskId: `${name}-${k}`,
    outcome: k < resolved ? 'resolved' : 'escalated',
    durationMs: 60_000,
    endedAt: new Date(atMs).toISOString(),
    ...(cost ? { costUsd: cost / n } : {}),
  }));
  const res = await t.request({ method: 'POST', url: '/v1/events', token: key, payload: { events } });
  expect(res.json().rejected, name).toEqual([]);
  return key;
}
