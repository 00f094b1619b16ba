// What the LLM gateway's relayed answers tell a cache and a browser. A relayed answer is written on the
// raw response (the route hijacks it), which runs none of the hooks that give every other
// authenticated answer `no-store`, `nosniff` and a content security policy (src/http/answer-headers.ts):
// model output, whole or streamed, and the provider's refusals carried none of them, and a stream said
// only `no-cache` (stored, then revalidated). Found by review. Whatever caching the provider asks for
// is not passed on.
import { describe, expect, it } from 'vitest';
import { useLlmStack } from './fixture.js';
import { sse } from './scripted-upstream.js';

const STORED = { 'cache-control': 'public, max-age=3600', 'content-type': 'text/html' };

describe('LLM gateway: what relayed answers say about caching and sniffing', () => {
  const llm = useLlmStack('sqlite', { scripted: true });

  const chat = (model: string, stream = false) =>
    fetch(`${llm.url}/llm/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llm.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, max_tokens: 5, stream, messages: [{ role: 'user', content: 'hi' }] }),
    });
  const headersOf = (res: Response) => ({
    cache: res.headers.get('cache-control'),
    nosniff: res.headers.get('x-content-type-options'),
    csp: res.headers.get('content-security-policy'),
  });
  const KEPT = { cache: 'no-store', nosniff: 'nosniff', csp: "default-src 'none'; frame-ancestors 'none'" };

  it('answers whole, streamed and refused calls with no-store, nosniff and a policy that lets nothing run', async () => {
    llm.sc.scripts.set('upstream-chat', (_req, body, res) => {
      if (body.stream) {
        res.writeHead(200, { ...STORED, 'content-type': 'text/event-stream' });
        sse(
          res,
          JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'hi' } }] }),
        );
        sse(
          res,
          JSON.stringify({
            id: 'c1',
            object: 'chat.completion.chunk',
            choices: [],
            usage: { prompt_tokens: 3, completion_tokens: 1 },
          }),
        );
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(200, { ...STORED, 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          model: 'upstream-chat',
          choices: [{ index: 0, message: { role: 'assistant', content: '<script>alert(1)</script>' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
        }),
      );
    });
    const whole = await chat('gw-chat');
    expect(whole.status, await whole.clone().text()).toBe(200);
    expect(headersOf(whole)).toEqual(KEPT);
    const streamed = await chat('gw-chat', true);
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(headersOf(streamed)).toEqual(KEPT);
    expect(await streamed.text()).toContain('data: [DONE]');

    // The provider's refusal, passed on; Fulcrum's own answer when the provider refused its credential.
    llm.sc.scripts.set('upstream-chat', (_req, _body, res) => {
      res.writeHead(400, { ...STORED, 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no' } }));
    });
    const refused = await chat('gw-chat');
    expect(refused.status).toBe(400);
    expect(headersOf(refused)).toEqual(KEPT);
    llm.sc.scripts.set('upstream-chat', (_req, _body, res) => {
      res
        .writeHead(401, { ...STORED, 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'bad key' } }));
    });
    const unauthorised = await chat('gw-chat');
    expect(unauthorised.status).toBe(502);
    expect(headersOf(unauthorised)).toEqual(KEPT);
    // A refusal before any call (a banned model) was already answered through the hooks: the same.
    const banned = await chat('gw-banned');
    expect(banned.status).toBe(403);
    expect(headersOf(banned)).toEqual(KEPT);
  });
});
