// A call that waits for another's reservation to settle before it fits under a limit holds its own
// reservation for as long past its admission as any call does: the wait does not eat into it (its
// expiry used to be computed before the wait, so a long wait could let it lapse mid-call and free
// room under the limit for calls that would overshoot it).
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

// One call's worst case is ~1,100 input tokens (its body and the per-call allowance) at 1 USD a
// million plus 50 output at 2: ~0.0012 USD. The limit holds one, not two.
const TIGHT = `
apiVersion: fulcrum/v1
kind: SpendLimit
metadata: { name: one-at-a-time }
spec:
  scope: { agent: llm-bot }
  period: day
  amountUsd: 0.0018
`;
const TIMEOUT_MS = 20_000; // the fixture's endpoints
const GRACE_MS = 60_000; // src/llm/gateway.ts RESERVATION_GRACE_MS

describe('a call that waits for room under a limit', () => {
  const llm = useLlmStack('sqlite', { config: { llmReservationWaitMs: 10_000 }, extra: TIGHT });
  let openai: OpenAI;

  beforeAll(async () => {
    openai = new OpenAI({ baseURL: `${llm.url}/llm/openai/v1`, apiKey: llm.key, maxRetries: 0 });
  });

  it('holds its reservation from when it is admitted, not from when it began to wait', async () => {
    llm.up.behave('upstream-chat', { latencyMs: 800 });
    const held = () => llm.t.app.database.db.selectFrom('llm_reservations').selectAll().execute();
    const call = () =>
      openai.chat.completions.create({ model: 'gw-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
    const first = call();
    await until(async () => (await held()).length === 1, 'the first call to reserve');
    const firstId = (await held())[0]?.id;
    const second = call(); // does not fit until the first settles: it waits
    await first;
    const firstDone = Date.now();
    let row: { id: string; expires_at: string } | undefined;
    await until(async () => {
      row = (await held()).find((r) => r.id !== firstId);
      return row !== undefined;
    }, 'the second call to reserve');
    await second;
    expect(new Date(row?.expires_at as string).getTime()).toBeGreaterThanOrEqual(firstDone + TIMEOUT_MS + GRACE_MS - 100);
  });
});
