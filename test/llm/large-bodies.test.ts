// Large request bodies and answers are read off the event loop (src/llm/prepare.ts, src/http/off-loop.ts):
// what reaches the provider, what the client hears when a body is refused, and what is charged must
// be exactly what the same call gets when it is small. Real server, the fake provider behind the
// scripted one (which records the bytes it was sent).
import { beforeAll, describe, expect, it } from 'vitest';
import { OFF_LOOP_BYTES, offLoop } from '../../src/http/off-loop.js';
import { until } from '../support/wait.js';
import { useLlmStack } from './fixture.js';

const CHAT = '/llm/openai/v1/chat/completions';

/** A chat body of about `bytes`: many turns, each with a text part and an image part. */
function chatBody(bytes: number, extra: Record<string, unknown> = {}) {
  const turn = (i: number) => ({
    role: 'user',
    content: [
      { type: 'text', text: `turn ${i}: ${'lorem ipsum '.repeat(20)}` },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${'QUJD'.repeat(40)}`, detail: 'low' } },
    ],
  });
  const one = JSON.stringify(turn(0)).length;
  return {
    model: 'gw-chat',
    max_tokens: 50,
    temperature: 0.25,
    user: 'large-body-test',
    metadata: { case: 'large', n: 1e20 },
    ...extra,
    messages: Array.from({ length: Math.ceil(bytes / one) }, (_, i) => turn(i)),
  };
}

describe('LLM gateway: large bodies and answers, read off the event loop (sqlite)', () => {
  const llm = useLlmStack('sqlite', { scripted: true });

  const post = (path: string, body: string) =>
    fetch(`${llm.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llm.key}`, 'content-type': 'application/json' },
      body,
    });

  beforeAll(() => {
    // The worker thread runs the build (npm test builds first): without it this file tests nothing new.
    expect(offLoop().available, 'dist/http/off-loop-thread.js (run npm run build)').toBe(true);
  });

  it('forwards a large body as the client sent it, with only the members the gateway sets changed', async () => {
    for (const size of [2_000, 2 * OFF_LOOP_BYTES]) {
      const body = chatBody(size, { stream_options: { include_obfuscation: false }, max_completion_tokens: null });
      const raw = JSON.stringify(body);
      const before = offLoop().tasks;
      const r = await post(CHAT, raw);
      expect(r.status, await r.clone().text()).toBe(200);
      expect((await r.json()).choices[0].message.content).toBeTypeOf('string');
      // Read off the loop exactly when the body is over the bound.
      expect(offLoop().tasks - before).toBe(raw.length >= OFF_LOOP_BYTES ? 1 : 0);
      const sent = llm.sc.received.at(-1);
      expect(sent?.path).toBe('/v1/chat/completions');
      // The provider's model id; the client's bound (max_tokens 50, the null beside it read as unset)
      // sent as the member the endpoint reads (max_completion_tokens by default), and only that one;
      // stream_options as sent (no stream, nothing asked).
      const { max_tokens: _asMaxTokens, ...others } = JSON.parse(raw);
      expect(sent?.body).toEqual({ ...others, model: 'upstream-chat', max_completion_tokens: 50 });
      // The members the gateway never sets are the client's, in the client's order.
      const SET = ['model', 'max_completion_tokens', 'max_tokens', 'max_output_tokens', 'stream_options'];
      const order = (text: string) => Object.keys(JSON.parse(text)).filter((k) => !SET.includes(k));
      expect(order(sent?.raw ?? '{}')).toEqual(order(raw));
    }
  });

  it('refuses a malformed large body in the API format, as it refuses a small one, and sends nothing', async () => {
    const cases: Array<[string, string, (body: string) => string, RegExp]> = [
      ['cut short', CHAT, (b) => b.slice(0, -10), /^malformed JSON body: /],
      [
        'a __proto__ member',
        CHAT,
        (b) => b.replace('"temperature"', '"__proto__":{"polluted":1},"temperature"'),
        /forbidden prototype property/,
      ],
      [
        'nested too deep',
        CHAT,
        (b) => b.replace('"temperature":0.25', `"temperature":${'['.repeat(70)}${']'.repeat(70)}`),
        /nests deeper than 64 levels/,
      ],
      ['no model', CHAT, (b) => b.replace('"model":"gw-chat",', ''), /model must be a string/],
      [
        'no max_tokens (Anthropic)',
        '/llm/anthropic/v1/messages',
        (b) => b.replace('"model":"gw-chat","max_tokens":50,', '"model":"gw-claude",'),
        /max_tokens is required/,
      ],
    ];
    for (const [label, path, change, message] of cases) {
      for (const size of [2_000, 2 * OFF_LOOP_BYTES]) {
        const body = change(JSON.stringify(chatBody(size)));
        expect(body.length >= OFF_LOOP_BYTES, label).toBe(size > OFF_LOOP_BYTES);
        const r = await post(path, body);
        expect(r.status, `${label}: ${await r.clone().text()}`).toBe(400);
        const e = await r.json();
        if (path === CHAT)
          expect(e.error, label).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(message) });
        else
          expect(e, label).toMatchObject({
            type: 'error',
            error: { type: 'invalid_request_error', message: expect.stringMatching(message) },
          });
      }
    }
    expect(llm.sc.received).toEqual([]);
  });

  it("charges a large whole answer's reported usage, read on the worker thread", async () => {
    // 80,000 tokens of "tok ": an answer of ~320 KB.
    llm.up.behave('upstream-chat', { inputTokens: 30, outputTokens: 80_000 });
    const before = offLoop().tasks;
    const r = await post(
      CHAT,
      JSON.stringify({ model: 'gw-chat', max_tokens: 100_000, messages: [{ role: 'user', content: 'long' }] }),
    );
    expect(r.status).toBe(200);
    const answer = await r.json();
    expect(answer.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 80_000 });
    expect(offLoop().tasks - before).toBe(1);
    // The answer is on its way to the client before its usage is read: the record follows it.
    const recorded = async () => {
      await llm.t.server.llmGateway.flush();
      return llm.t.app.database.db
        .selectFrom('spans')
        .select(['input_tokens', 'output_tokens', 'response_id'])
        .where('response_id', '=', answer.id)
        .executeTakeFirst();
    };
    await until(async () => (await recorded()) !== undefined, 'the call recorded');
    const span = await recorded();
    expect(span).toMatchObject({ input_tokens: 30, output_tokens: 80_000 });
  });

  it('replaces a worker thread that died, and the next large body is read by the new one', async () => {
    const before = offLoop();
    const r0 = await post(CHAT, JSON.stringify(chatBody(2 * OFF_LOOP_BYTES)));
    expect(r0.status).toBe(200);
    const worker = offLoop().lanes.llm.worker;
    expect(worker).toBeDefined();
    await worker?.terminate();
    const r = await post(CHAT, JSON.stringify(chatBody(2 * OFF_LOOP_BYTES)));
    expect(r.status, await r.clone().text()).toBe(200);
    expect(offLoop().started).toBeGreaterThan(before.started);
    expect(offLoop().lanes.llm.worker).not.toBe(worker);
  });

  it('relays an event that arrives in many pieces whole, separators split across pieces included', async () => {
    const text = 'x'.repeat(300_000);
    llm.sc.scripts.set('upstream-chat', async (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const event = `data: ${JSON.stringify({ id: 'chatcmpl-pieces', object: 'chat.completion.chunk', model: 'upstream-chat', choices: [{ index: 0, delta: { content: text } }] })}\r\n\r\n`;
      // Each piece written once the last has gone out: 1 KiB at a time, and the separator cut between
      // its two line breaks.
      const write = (piece: string) => new Promise<void>((done) => res.write(piece, () => done()));
      const head = event.slice(0, -2);
      for (let i = 0; i < head.length; i += 1024) await write(head.slice(i, i + 1024));
      await write(event.slice(-2));
      const usage = {
        id: 'chatcmpl-pieces',
        object: 'chat.completion.chunk',
        model: 'upstream-chat',
        choices: [],
        usage: { prompt_tokens: 7, completion_tokens: 75_000, total_tokens: 75_007 },
      };
      await write(`data: ${JSON.stringify(usage)}\r`);
      res.end('\n\r\ndata: [DONE]\r\n\r\n');
    });
    const r = await post(
      CHAT,
      JSON.stringify({ model: 'gw-chat', stream: true, max_tokens: 100_000, messages: [{ role: 'user', content: 'go' }] }),
    );
    expect(r.status).toBe(200);
    const events = (await r.text()).split(/\r\n\r\n|\n\n/).filter((e) => e.startsWith('data: ') && !e.includes('[DONE]'));
    // The client did not ask for usage: it gets the one content event, whole.
    expect(events.map((e) => JSON.parse(e.slice(6)).choices[0].delta.content)).toEqual([text]);
    await llm.t.server.llmGateway.flush();
    const span = await llm.t.app.database.db
      .selectFrom('spans')
      .select(['output_tokens'])
      .where('response_id', '=', 'chatcmpl-pieces')
      .executeTakeFirstOrThrow();
    expect(span.output_tokens).toBe(75_000);
  });
});
