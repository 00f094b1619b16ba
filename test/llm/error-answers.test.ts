// Answers that are not the model's are not billed (found by attack: each was charged the call's worst
// case). A provider's error, whatever its size: one past the bound the gateway reads of an error (a
// validation error echoing the request back) is answered 502 and charged nothing, as a smaller one is.
// A redirect (an endpoint configured as http:// for an https-only provider): 502, nothing charged.
// An error the agent leaves (or the timeout cuts) while its body is read: nothing charged either.
import { describe, expect, it, vi } from 'vitest';
import { until } from '../support/wait.js';
import { botDailyLimit, limitStatus, useLlmStack } from './fixture.js';

describe("LLM gateway: answers that are not the model's", () => {
  const llm = useLlmStack('sqlite', { scripted: true, extra: botDailyLimit(100) });

  const chat = (content: string) =>
    fetch(`${llm.url}/llm/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llm.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gw-chat', max_tokens: 5, messages: [{ role: 'user', content }] }),
    });

  it('an error past the bound read of one is answered 502 and charged nothing, as a smaller error is', async () => {
    // A validation error that quotes what it was sent, as FastAPI-based servers' do.
    llm.sc.scripts.set('upstream-chat', (_req, body, res) => {
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
    expect(llm.sc.received).toHaveLength(2);
    await until(async () => (await limitStatus(llm.t.server, 'bot-daily')).reservedUsd === 0, 'both calls to be settled');
    const status = await limitStatus(llm.t.server, 'bot-daily');
    expect(status.calls).toBe(2);
    expect(status.spentUsd).toBe(0);
  });

  it('an error answer the client leaves while it is read is charged nothing, as a whole one is', async () => {
    // The provider has said 500 and sends its body slowly; the agent gives up meanwhile. The status
    // already says the call was refused, which providers do not bill: not the call's worst case.
    let begun = false;
    llm.sc.scripts.set('upstream-chat', (_req, _body, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.write('{"error": {"message": "overloa');
      begun = true;
    });
    const before = await limitStatus(llm.t.server, 'bot-daily');
    const quit = new AbortController();
    const call = fetch(`${llm.url}/llm/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llm.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gw-chat', max_tokens: 500, messages: [{ role: 'user', content: 'hi' }] }),
      signal: quit.signal,
    });
    await until(() => begun, 'the provider to have begun its error answer');
    quit.abort();
    await expect(call).rejects.toThrow();
    await until(async () => (await limitStatus(llm.t.server, 'bot-daily')).reservedUsd === 0, 'the call to be settled');
    const after = await limitStatus(llm.t.server, 'bot-daily');
    expect(after.calls).toBe(before.calls + 1);
    expect(after.spentUsd).toBe(before.spentUsd);
  });

  it('a redirect is no answer: 502 naming the endpoint, the Location in the log, nothing charged', async () => {
    // An endpoint configured as http:// where the provider only answers https redirects every call;
    // the gateway follows no redirect (its outbound policy judged the URL it was given).
    llm.sc.scripts.set('upstream-chat', (_req, _body, res) => {
      res
        .writeHead(301, { location: 'https://elsewhere.example/v1/chat/completions', 'content-type': 'text/html' })
        .end('<html>moved</html>');
    });
    const warn = vi.spyOn(llm.t.server.log, 'warn');
    try {
      const before = await limitStatus(llm.t.server, 'bot-daily');
      const r = await chat('hi');
      expect(r.status).toBe(502);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('upstream_unavailable');
      const logged = warn.mock.calls.find(([, message]) => String(message).includes('redirected'));
      expect(String((logged?.[0] as { detail?: unknown } | undefined)?.detail)).toContain('https://elsewhere.example/');
      await until(async () => (await limitStatus(llm.t.server, 'bot-daily')).reservedUsd === 0, 'the call to be settled');
      expect((await limitStatus(llm.t.server, 'bot-daily')).spentUsd).toBe(before.spentUsd);
    } finally {
      warn.mockRestore();
    }
  });
});
