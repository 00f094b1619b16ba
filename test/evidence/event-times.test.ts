// A task event's time is read as written, on any server (found by review): a day that does not exist
// (2026-02-31) was rolled into the next month (stored on 2026-03-03), and a time naming no time zone
// was read in the server's local time, so the same event landed on another day, and another hour,
// depending on the TZ of the node that took it. Both are refused, naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('task event times on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const tz = process.env.TZ;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
    // A node east of UTC: a time without a zone read there was 9 hours earlier, on the day before.
    process.env.TZ = 'Asia/Tokyo';
  });
  afterAll(async () => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
    await t?.close();
  });

  it('refuses a day that does not exist and a time without a zone, and reads an offset as written', async () => {
    const year = new Date().getUTCFullYear();
    // Days that exist, within the retention horizon and not in the future: yesterday and the day before.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const before = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const completed = (taskId: string, endedAt: string) => ({
      type: 'task.completed',
      taskId,
      outcome: 'resolved',
      durationMs: 1000,
      endedAt,
    });
    const res = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [
          completed('feb-31', `${year}-02-31T10:00:00Z`),
          completed('no-zone', `${yesterday}T03:00:00`),
          { type: 'task.started', taskId: 'no-zone-start', startedAt: `${yesterday}T03:00:00.250` },
          completed('hour-25', `${yesterday}T25:00:00Z`),
          completed('offset', `${yesterday}T03:00:00+09:00`),
          completed('utc', `${yesterday}T03:00:00.5z`),
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.rejected).toEqual([
      { index: 0, reason: `endedAt "${year}-02-31T10:00:00Z" is no time: ${year}-02 has no day 31` },
      {
        index: 1,
        reason: `endedAt "${yesterday}T03:00:00" names no time zone: add Z (UTC) or an offset such as +01:00`,
      },
      {
        index: 2,
        reason: `startedAt "${yesterday}T03:00:00.250" names no time zone: add Z (UTC) or an offset such as +01:00`,
      },
      { index: 3, reason: `endedAt "${yesterday}T25:00:00Z" is no time: there is no time of day 25:00:00` },
    ]);
    expect(body.accepted).toBe(2);
    const stored = await t.app.database.db
      .selectFrom('task_events')
      .select(['task_id', 'ended_at', 'day'])
      .orderBy('task_id')
      .execute();
    expect(stored).toEqual([
      { task_id: 'offset', ended_at: `${before}T18:00:00.000Z`, day: before },
      { task_id: 'utc', ended_at: `${yesterday}T03:00:00.500Z`, day: yesterday },
    ]);
  });
});
