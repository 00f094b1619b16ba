// A task event's attributes are stored as they are sent, up to 8 KiB. The bound counted characters
// (UTF-16 code units), so 8,000 '€' (24,000 bytes of UTF-8) passed as under 8,192 bytes: three times
// the bound stored per event. It counts the bytes stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)("task events' attributes on %s", (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('are bounded in bytes, not characters', async () => {
    const endedAt = new Date(Date.now() - 60_000).toISOString();
    const started = (taskId: string, note: string) => ({
      type: 'task.started',
      taskId,
      startedAt: endedAt,
      attributes: { note },
    });
    const res = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: { events: [started('attr-1', 'a'.repeat(8000)), started('attr-2', '€'.repeat(8000))] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 1, reason: 'attributes must be at most 8192 bytes (as JSON, UTF-8), got 24011' }],
    });
    const stored = await t.app.database.db
      .selectFrom('task_events')
      .select('task_id')
      .where('task_id', 'like', 'attr-%')
      .execute();
    expect(stored).toEqual([{ task_id: 'attr-1' }]);
  });
});
