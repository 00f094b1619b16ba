// Every part of the LLM gateway goes by the database's clock, as its ledger does: a node whose clock
// has passed UTC midnight before the database's (by 30 s here; a one-minute skew does the same in any
// day's last minute) reported its spend-limit gauges for the wrong period on /metrics, listed in
// GET /models a model priced only from the node's "today" (then refused calling it as unpriced),
// and dated the call's inference record a day later than the day it was priced and counted in.
import OpenAI from 'openai';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { applyAndKey, bindSecret, botDailyLimit, limitStatus, llmBundle } from './fixture.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

const realNow = () => performance.timeOrigin + performance.now();
const DAY = 86_400_000;

describe.runIf(process.env.FULCRUM_TEST_DATABASE_URL)(
  'a node whose clock is past midnight before the database (postgres)',
  () => {
    let t: TestServer | undefined;
    let up: FakeUpstream | undefined;
    afterAll(async () => {
      vi.useRealTimers();
      await t?.close();
      await up?.close();
    });

    it('reports and lists by the same day its ledger counts in', { timeout: 200_000 }, async () => {
      // The database's day must not change while the test runs (its clock is the real one): in the last two
      // minutes of a UTC day, the test starts on the next.
      const midnight = Date.parse(new Date(realNow() + DAY).toISOString().slice(0, 10));
      if (midnight - realNow() < 120_000)
        await until(() => realNow() >= midnight, 'UTC midnight', { timeoutMs: 130_000, everyMs: 250 });
      const now = realNow();
      const dbToday = new Date(now).toISOString().slice(0, 10);
      const dbTomorrow = new Date(now + DAY).toISOString().slice(0, 10);
      // Just past the next UTC midnight (by the database's clock, it is still today).
      const skew = Date.parse(`${dbTomorrow}T00:00:00Z`) - now + 30_000;
      up = await startFakeUpstream();
      bindSecret(up.url);
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: now + skew });
      t = await startTestServer('postgres', { outboundAllowHosts: [{ host: '127.0.0.1' }] });
      const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
      const extra = `${botDailyLimit(5)}---
apiVersion: fulcrum/v1
kind: Model
metadata: { name: gw-tomorrow }
spec:
  provider: openai
  hosting: vendor
  regions: [eu-west-1]
  status: approved
  maxClassification: confidential
  pricing: [{ from: "${dbTomorrow}", currency: USD, inputPerMillion: 1, outputPerMillion: 2 }]
  endpoint: openai-local
  maxOutputTokens: 1000
`;
      const files = llmBundle(up.url, extra).map((f) =>
        f.path === 'llm.yaml' ? { ...f, content: f.content.replace('models: [gw-chat,', 'models: [gw-tomorrow, gw-chat,') } : f,
      );
      const key = await applyAndKey(t.server, files);
      const openai = new OpenAI({ baseURL: `${url}/llm/openai/v1`, apiKey: key, maxRetries: 0 });
      await openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
      let status = await limitStatus(t.server, 'bot-daily');
      await until(async () => {
        status = await limitStatus(t?.server as TestServer['server'], 'bot-daily');
        return status.spentUsd > 0;
      }, 'the call to settle');

      // /metrics: the same limit, the same period.
      const text = (await t.request({ method: 'GET', url: '/metrics', token: null })).body;
      const line = text.split('\n').find((l) => l.startsWith('fulcrum_spend_limit_spent_usd{limit="bot-daily"'));
      const metricSpent = Number(line?.split(' ').pop());

      // GET /models lists gw-tomorrow (priced from the node's "today"); calling it is refused as unpriced.
      const listed = (await openai.models.list()).data.map((m) => m.id);
      const call = await openai.chat.completions
        .create({ model: 'gw-tomorrow', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 })
        .then(
          () => 'ok',
          (e) => `${e.status} ${(e.error as { code?: string })?.code}`,
        );
      expect(metricSpent).toBe(status.spentUsd);
      expect(listed).not.toContain('gw-tomorrow');
      expect(call).toBe('403 model_unpriced');
      // The call's inference record (spend reports roll up by its day) is dated by the node's clock,
      // though it was priced, and counted against the limit, on the database's day.
      const h = t.database.open();
      try {
        let rows: Array<{ day: string }> = [];
        await until(async () => {
          rows = await h.db.selectFrom('spans').select(['day']).where('source', '=', 'llm').execute();
          return rows.length > 0;
        }, 'the inference record');
        expect(rows.map((r) => r.day)).toEqual([dbToday]);
      } finally {
        await h.destroy();
      }
    });
  },
);
