// A provider's error answer is not billed, whatever its size: one past the bound the gateway reads of
// an error (a validation error echoing the request back, a proxy's error page) is answered 502 and
// charged nothing, as a smaller one is. It was charged the call's worst case, as a whole answer lost
// midway is (found by attack: a 400 echoing a long prompt cost the limit the call's whole bound).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { applyAndKey, botDailyLimit, limitStatus, llmBundle, type ScriptedStack, startScriptedStack } from './fixture.js';
import type { Scripted } from './scripted-upstream.js';

describe('LLM gateway: an error answer past the bound read of one', () => {
  let stack: ScriptedStack;
  let t: TestServer;
  let sc: Scripted;
  let url: string;
  let key: string;

  const chat = (content: string) =>
    fetch(`${url}/llm/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gw-chat', max_tokens: 5, messages: [{ role: 'user', content }] }),
    });

  beforeAll(async () => {
    stack = await startScriptedStack();
    ({ t, sc, url } = stack);
    key = await applyAndKey(t.server, llmBundle(sc.url, botDailyLimit(100)));
  });
  afterAll(async () => stack?.close());
  afterEach(() => stack.reset());

  it('is answered 502 and charged nothing, as a smaller error is', async () => {
    // A validation error that quotes what it was sent, as FastAPI-based servers' do.
    sc.scripts.set('upstream-chat', (_req, body, res) => {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'invalid request', type: 'invalid_request_error', input: body.messages } }));
    });
    const small = await chat('hi');
    expect(small.status).toBe(400);
    await small.text();
    const large = await chat('x'.repeat(200_000));
    expect(large.status).toBe(502);
    expect(((await large.json()) as { error: { code: string } }).error.code).toBe('upstream_invalid');
    expect(sc.received).toHaveLength(2);
    await until(async () => (await limitStatus(t.server, 'bot-daily')).reservedUsd === 0, 'both calls to be settled');
    const status = await limitStatus(t.server, 'bot-daily');
    expect(status.calls).toBe(2);
    expect(status.spentUsd).toBe(0);
  });
});
