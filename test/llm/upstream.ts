// A model provider of our own on 127.0.0.1 that speaks both APIs the gateway fronts: OpenAI chat
// completions, responses and embeddings, Anthropic messages; whole answers and SSE streams. What it
// does is set per upstream model id: usage, latency, an error answer, a stream that stalls. It records
// what it was sent (bodies, the auth headers) and which streams a client left early.
// Plain JavaScript-compatible TypeScript with no test imports, so bench/llm can run it too.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Behaviour {
  /** Input tokens reported (default 10), cached among them (default 0). */
  inputTokens?: number;
  cachedTokens?: number;
  /** Anthropic only: input tokens written to the prompt cache, among the input (default 0). */
  cacheWriteTokens?: number;
  /** Tokens produced, each the text "tok " (default 5). */
  outputTokens?: number;
  /** Wait before the answer (or the first event). */
  latencyMs?: number;
  /** Wait between stream events. */
  intervalMs?: number;
  /** Answer with this status and body instead. */
  error?: { status: number; body: unknown };
  /** Stream this many tokens, then hold the connection open without another byte. */
  stallAfter?: number;
  /** Send no usage at all (an upstream that ignores stream_options). */
  noUsage?: boolean;
  /** A whole answer's usage object as given here instead (a provider's own field names, string counts). */
  usage?: unknown;
  /** Anthropic: the call runs in fast mode (as a workspace may turn on): its usage says `speed: "fast"`. */
  fast?: boolean;
  /** Anthropic: where the call ran (`us`, as a workspace's default_inference_geo may set): its usage says `inference_geo`. */
  geo?: string;
  /** As `geo`, but a stream says it only in message_delta's usage (its message_start's says nothing of it). */
  geoLate?: string;
  /**
   * The service tier a call that names none (or `auto`) is billed at, as the answer reports it: the
   * project's default at OpenAI (default `default`), the organisation's at Anthropic (`standard`).
   * A call that names a tier is billed at it (Anthropic's `standard_only` as `standard`).
   */
  defaultTier?: string;
}

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeUpstream {
  url: string;
  /** Behaviour by upstream model id ('*' for every other). */
  behave(model: string, b: Behaviour): void;
  received: Received[];
  /** Streams whose client closed the connection before the stream ended. */
  cut: number;
  /** Requests that arrived (counted when the body is read). */
  readonly calls: number;
  /** Bytes the latest stream has written that its reader has not taken yet (held in this process). */
  buffered(): number;
  close(): Promise<void>;
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export async function startFakeUpstream(opts: { record?: boolean } = {}): Promise<FakeUpstream> {
  const behaviours = new Map<string, Behaviour>();
  const received: Received[] = [];
  let seq = 0;
  const state: { cut: number; calls: number; stream?: http.ServerResponse } = { cut: 0, calls: 0 };
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      state.calls++;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
        return;
      }
      if (opts.record !== false) received.push({ path: req.url ?? '', headers: req.headers, body });
      const model = String(body.model ?? '');
      const b = behaviours.get(model) ?? behaviours.get('*') ?? {};
      void answer(req, res, body, model, b, ++seq).catch(() => res.destroy());
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Record<string, unknown>,
    model: string,
    b: Behaviour,
    n: number,
  ): Promise<void> {
    await sleep(b.latencyMs ?? 0);
    if (b.error) {
      res.writeHead(b.error.status, { 'content-type': 'application/json' }).end(JSON.stringify(b.error.body));
      return;
    }
    const input = b.inputTokens ?? 10;
    const cached = b.cachedTokens ?? 0;
    const written = b.cacheWriteTokens ?? 0;
    const output = b.outputTokens ?? 5;
    const path = req.url ?? '';
    const stream = body.stream === true;
    const asked = typeof body.service_tier === 'string' && body.service_tier !== 'auto' ? body.service_tier : undefined;
    const anthropic = path.endsWith('/messages');
    const tier = anthropic
      ? asked === 'standard_only'
        ? 'standard'
        : (b.defaultTier ?? 'standard')
      : (asked ?? b.defaultTier ?? 'default');
    if (path.endsWith('/embeddings')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          // The OpenAI SDK asks for base64 unless told otherwise, and decodes it.
          data: [
            {
              object: 'embedding',
              index: 0,
              embedding:
                body.encoding_format === 'base64'
                  ? Buffer.from(new Float32Array([0.1, 0.2, 0.3]).buffer).toString('base64')
                  : [0.1, 0.2, 0.3],
            },
          ],
          model,
          usage: { prompt_tokens: input, total_tokens: input },
        }),
      );
      return;
    }
    if (!stream) {
      const text = 'tok '.repeat(output);
      let json: unknown;
      if (path.endsWith('/chat/completions'))
        json = {
          id: `chatcmpl-${n}`,
          object: 'chat.completion',
          created: 1,
          model,
          service_tier: tier,
          choices: [
            { index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop', logprobs: null },
          ],
          ...(b.noUsage
            ? {}
            : {
                usage: {
                  prompt_tokens: input,
                  completion_tokens: output,
                  total_tokens: input + output,
                  prompt_tokens_details: { cached_tokens: cached },
                },
              }),
        };
      else if (path.endsWith('/responses'))
        json = {
          id: `resp_${n}`,
          object: 'response',
          created_at: 1,
          status: 'completed',
          model,
          service_tier: tier,
          output: [
            {
              type: 'message',
              id: `msg_${n}`,
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text, annotations: [] }],
            },
          ],
          usage: b.noUsage
            ? undefined
            : {
                input_tokens: input,
                input_tokens_details: { cached_tokens: cached },
                output_tokens: output,
                output_tokens_details: { reasoning_tokens: 0 },
                total_tokens: input + output,
              },
        };
      else
        json = {
          id: `msg_${n}`,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: b.noUsage
            ? undefined
            : {
                input_tokens: input - cached - written,
                output_tokens: output,
                cache_read_input_tokens: cached,
                cache_creation_input_tokens: written,
                service_tier: tier,
                speed: b.fast ? 'fast' : 'standard',
                ...((b.geo ?? b.geoLate) ? { inference_geo: b.geo ?? b.geoLate } : {}),
              },
        };
      if (b.usage !== undefined) (json as Record<string, unknown>).usage = b.usage;
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${n}` }).end(JSON.stringify(json));
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    state.stream = res;
    let ended = false;
    res.on('close', () => {
      if (!ended) state.cut++;
    });
    const send = (event: string | null, data: unknown) =>
      res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    const stallAt = b.stallAfter ?? Number.POSITIVE_INFINITY;
    const tokens = async (each: (i: number) => void): Promise<boolean> => {
      for (let i = 0; i < output; i++) {
        if (i === stallAt) return false;
        if (res.destroyed) return false;
        each(i);
        await sleep(b.intervalMs ?? 0);
      }
      return true;
    };

    if (path.endsWith('/chat/completions')) {
      const id = `chatcmpl-${n}`;
      const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      const chunk = (delta: object, finish: string | null) => ({
        id,
        object: 'chat.completion.chunk',
        created: 1,
        model,
        service_tier: tier,
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
        ...(wantsUsage && !b.noUsage ? { usage: null } : {}),
      });
      send(null, chunk({ role: 'assistant', content: '' }, null));
      if (!(await tokens(() => send(null, chunk({ content: 'tok ' }, null))))) return;
      send(null, chunk({}, 'stop'));
      if (wantsUsage && !b.noUsage)
        send(null, {
          id,
          object: 'chat.completion.chunk',
          created: 1,
          model,
          choices: [],
          usage: {
            prompt_tokens: input,
            completion_tokens: output,
            total_tokens: input + output,
            prompt_tokens_details: { cached_tokens: cached },
          },
        });
      send(null, '[DONE]');
    } else if (path.endsWith('/responses')) {
      const id = `resp_${n}`;
      const response = (status: string, extra: object = {}) => ({
        id,
        object: 'response',
        created_at: 1,
        status,
        model,
        service_tier: tier,
        output: [],
        ...extra,
      });
      let sequence = 0;
      send('response.created', { type: 'response.created', sequence_number: sequence++, response: response('in_progress') });
      if (
        !(await tokens(() =>
          send('response.output_text.delta', {
            type: 'response.output_text.delta',
            sequence_number: sequence++,
            item_id: `msg_${n}`,
            output_index: 0,
            content_index: 0,
            delta: 'tok ',
          }),
        ))
      )
        return;
      send('response.completed', {
        type: 'response.completed',
        sequence_number: sequence++,
        response: response('completed', {
          usage: b.noUsage
            ? undefined
            : {
                input_tokens: input,
                input_tokens_details: { cached_tokens: cached },
                output_tokens: output,
                output_tokens_details: { reasoning_tokens: 0 },
                total_tokens: input + output,
              },
        }),
      });
    } else {
      const id = `msg_${n}`;
      send('message_start', {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: input - cached - written,
            output_tokens: 1,
            cache_read_input_tokens: cached,
            cache_creation_input_tokens: written,
            service_tier: tier,
            speed: b.fast ? 'fast' : 'standard',
            ...(b.geo ? { inference_geo: b.geo } : {}),
          },
        },
      });
      send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      send('ping', { type: 'ping' });
      if (
        !(await tokens(() =>
          send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'tok ' } }),
        ))
      )
        return;
      send('content_block_stop', { type: 'content_block_stop', index: 0 });
      send('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: output, ...(b.geoLate ? { inference_geo: b.geoLate } : {}) },
      });
      send('message_stop', { type: 'message_stop' });
    }
    ended = true;
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    behave: (model, b) => behaviours.set(model, b),
    received,
    get cut() {
      return state.cut;
    },
    set cut(v: number) {
      state.cut = v;
    },
    get calls() {
      return state.calls;
    },
    buffered: () => state.stream?.writableLength ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
