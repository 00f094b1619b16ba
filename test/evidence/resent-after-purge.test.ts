// Evidence re-sent after retention purged the day it belonged to: the rollups keep what was counted,
// but the record that made a re-send a duplicate went with the purge, so the re-send was counted again
// (found by attack, session 37). Ingest refuses evidence from before what the purges may have deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startWithFaq } from '../governance/retention-fixture.js';
import { ENGINES } from '../support/databases.js';
import { spansExport } from '../support/otlp.js';
import type { TestServer } from '../support/server.js';

const DAY = 86_400_000;

describe.each(ENGINES)('evidence re-sent after its purge on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const since = new Date(Date.now() - 120 * DAY).toISOString().slice(0, 10);

  /** One priced model call of faq-bot, `daysAgo` days ago (its ids from `id`). */
  const call = (id: string, daysAgo: number) => {
    const ns = `${BigInt(Date.now() - daysAgo * DAY) * 1_000_000n}`;
    return t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: spansExport([
        {
          traceId: id.repeat(32),
          spanId: id.repeat(16),
          name: 'chat gpt-4o-mini',
          startTimeUnixNano: ns,
          endTimeUnixNano: ns,
          attributes: [
            { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
            { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
            { key: 'gen_ai.usage.input_tokens', value: { intValue: 1000 } },
            { key: 'gen_ai.usage.output_tokens', value: { intValue: 100 } },
          ],
        },
      ]),
    });
  };
  /** A resolved task of faq-bot that ended `daysAgo` days ago. */
  const task = (taskId: string, daysAgo: number) =>
    t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [
          {
            type: 'task.completed',
            taskId,
            outcome: 'resolved',
            durationMs: 1000,
            endedAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
          },
        ],
      },
    });
  const calls = async () =>
    (await t.request({ method: 'GET', url: `/v1/costs?groupBy=agent&from=${since}` }))
      .json()
      .rows.find((r: { key: string }) => r.key === 'faq-bot')?.calls ?? 0;
  const resolved = async () => {
    const day = await t.app.database.db
      .selectFrom('evidence_daily')
      .select((eb) => eb.fn.sum<number>('tasks_resolved').as('n'))
      .where('agent', '=', 'faq-bot')
      .executeTakeFirst();
    return Number(day?.n ?? 0);
  };
  const periods = (p: Record<string, number>) => t.request({ method: 'PUT', url: '/v1/retention', payload: p });

  beforeAll(async () => {
    t = await startWithFaq(engine);
    key = (await t.request({ method: 'POST', url: '/v1/agents/faq-bot/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  it('refuses a span from before its purge, and counts it once', async () => {
    expect((await periods({ spans: 30 })).statusCode).toBe(200);
    // Older than the spans' period but within what events keep: stored, counted, then purged.
    expect((await call('a', 40)).json()).toEqual({});
    expect(await calls()).toBe(1);
    expect((await t.app.retention.purge(ADMIN)).spans).toBe(1);
    const again = await call('a', 40);
    expect(again.statusCode).toBe(200);
    expect(again.json().partialSuccess?.rejectedSpans).toBe('1');
    expect(again.json().partialSuccess.errorMessage).toMatch(
      /^span 0: startTimeUnixNano \S+ is before \S+, up to which retention has purged/,
    );
    expect(await calls()).toBe(1);
    // Lengthening the period does not bring the purged days back: what was counted of them stays counted.
    expect((await periods({ spans: 100 })).statusCode).toBe(200);
    expect((await call('a', 40)).json().partialSuccess?.rejectedSpans).toBe('1');
    expect(await calls()).toBe(1);
    // A span of the days the purge left alone is taken as ever.
    expect((await call('b', 20)).json()).toEqual({});
    expect(await calls()).toBe(2);
  });

  it('refuses a task event from before its purge, and counts it once', async () => {
    expect((await periods({ events: 30, spans: 200 })).statusCode).toBe(200);
    expect((await task('T-1', 40)).json()).toMatchObject({ accepted: 1 });
    expect(await resolved()).toBe(1);
    expect((await t.app.retention.purge(ADMIN)).events).toBe(1);
    const again = (await task('T-1', 40)).json();
    expect(again).toMatchObject({
      accepted: 0,
      rejected: [{ index: 0, reason: expect.stringMatching(/^endedAt \S+ is before \S+, up to which retention has purged/) }],
    });
    expect(await resolved()).toBe(1);
    expect((await task('T-2', 20)).json()).toMatchObject({ accepted: 1 });
    expect(await resolved()).toBe(2);
  });
});
