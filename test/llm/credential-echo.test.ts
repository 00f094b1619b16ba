// A provider (or a proxy in front of it) that echoes the endpoint's credential back JSON-escaped
// (found by review): the agent's JSON parser reads `\u002B` as `+` and `\/` as `/`, so every spelling
// is hidden, in whole answers, stream events and the log; and the headers passed on are read for it
// too. test/security/llm-gateway.test.ts has the credential echoed as it was sent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SECRET_ENV, UPSTREAM_SECRET, useLlmStack } from './fixture.js';
import { sse } from './scripted-upstream.js';

/** A base64 token, as many are: a `+` and a `/` that JSON writers may escape. */
const SECRET = 'tok+AbCdEf0123456789/xyz+';
/** JSON as a writer that escapes `+` (.NET's System.Text.Json) and `/` (PHP's json_encode) writes it. */
const escaping = (value: unknown) => JSON.stringify(value).replaceAll('+', '\\u002B').replaceAll('/', '\\/');

describe('LLM gateway: a credential echoed JSON-escaped', () => {
  const llm = useLlmStack('sqlite', { scripted: true });

  const chat = (stream = false) =>
    fetch(`${llm.url}/llm/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llm.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gw-chat', max_tokens: 5, stream, messages: [{ role: 'user', content: 'hi' }] }),
    });

  afterEach(() => {
    process.env[SECRET_ENV] = UPSTREAM_SECRET;
  });

  it('hides it from the agent in a whole answer and in stream events', async () => {
    process.env[SECRET_ENV] = SECRET;
    llm.sc.scripts.set('upstream-chat', (req, body, res) => {
      const auth = String(req.headers.authorization ?? '');
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        sse(
          res,
          escaping({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: `echo ${auth}` } }] }),
        );
        // Every character escaped, the hex in lower case.
        const all = [...SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
        sse(res, `{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" and ${all}"}}]}`);
        res.end('data: [DONE]\n\n');
        return;
      }
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(escaping({ error: { message: `invalid credential: ${auth}`, type: 'invalid_request_error' } }));
    });
    const whole = await chat();
    expect(whole.status).toBe(400);
    const { error } = (await whole.json()) as { error: { message: string } };
    expect(error.message).toBe('invalid credential: [credential redacted]');

    const streamed = await chat(true);
    expect(streamed.status).toBe(200);
    const content = (await streamed.text())
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)).choices[0].delta.content)
      .join('');
    expect(content).toBe('echo [credential redacted] and [credential redacted]');
  });

  it('keeps it out of the log when the provider refuses it and echoes it escaped', async () => {
    process.env[SECRET_ENV] = SECRET;
    const warn = vi.spyOn(llm.t.server.log, 'warn');
    try {
      llm.sc.scripts.set('upstream-chat', (req, _body, res) => {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(escaping({ error: { message: `${req.headers.authorization} was refused` } }));
      });
      const r = await chat();
      expect(r.status).toBe(502);
      const logged = warn.mock.calls.find(([, message]) => String(message).includes('refused its credential'));
      const detail = JSON.parse(String((logged?.[0] as { detail?: unknown } | undefined)?.detail));
      expect(detail.error.message).toBe('[credential redacted] was refused');
    } finally {
      warn.mockRestore();
    }
  });

  it('hides it from the agent in the headers passed on (a request id that echoes it)', async () => {
    llm.sc.scripts.set('upstream-chat', (req, body, res) => {
      // A proxy that names each request by what it was sent with.
      const echoed = { 'x-request-id': `req ${req.headers.authorization}`, 'retry-after': String(req.headers.authorization) };
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', ...echoed });
        sse(
          res,
          JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'hi' } }] }),
        );
        res.end('data: [DONE]\n\n');
        return;
      }
      res
        .writeHead(429, { 'content-type': 'application/json', ...echoed })
        .end(JSON.stringify({ error: { message: 'slow down' } }));
    });
    for (const stream of [false, true]) {
      const r = await chat(stream);
      await r.text();
      expect(r.status).toBe(stream ? 200 : 429);
      expect(r.headers.get('x-request-id')).toBe('req [credential redacted]');
      expect(r.headers.get('retry-after')).toBe('[credential redacted]');
      r.headers.forEach((v) => {
        expect(v).not.toContain(UPSTREAM_SECRET);
      });
    }
  });
});
