// Forwards an admitted call and relays the answer. A whole answer is read (bounded), its usage taken,
// and sent on. A stream (SSE) is relayed event by event as it arrives: each complete event is written
// to the client at once (its usage noted; the usage chunk the gateway asked for is kept from a client
// that did not), with backpressure both ways. The client leaving, or the endpoint's timeout, aborts
// the provider's request; what was produced until then is what the call is charged.
import type http from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { RAW_ANSWER_HEADERS } from '../http/answer-headers.js';
import { createStreamMeter } from './apis.js';
import { errorBody, LlmError } from './errors.js';
import type { Admitted, CallEnd } from './gateway.js';
import { readAnswerOf } from './prepare-pool.js';
import { hideCredential, withoutCredential } from './redact.js';
import { post, type UpstreamLog } from './upstream.js';

/** Largest whole answer read from a provider (a long completion with many choices stays far below). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** Largest error body passed on (a provider's error page is not relayed whole). */
const MAX_ERROR_BYTES = 64 * 1024;
/** Largest single SSE event. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;
// What a client is told of the provider's answer besides its body.
const PASSED_RESPONSE_HEADERS = [
  'content-type',
  'x-request-id',
  'request-id',
  'openai-processing-ms',
  'retry-after',
  'retry-after-ms',
];

export async function relay(
  call: Admitted,
  res: http.ServerResponse,
  clientGone: AbortSignal,
  log: UpstreamLog,
): Promise<CallEnd> {
  const api = call.endpoint.spec.api;
  // The client leaving or the endpoint's timeout ends the provider's request. One controller and one
  // timer: AbortSignal.any over AbortSignal.timeout cost ~50 µs of every call (measured on Node 20).
  const ends = new AbortController();
  const signal = ends.signal;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ends.abort(new Error(`no answer within ${call.timeoutMs} ms`));
  }, call.timeoutMs);
  const leave = () => ends.abort(clientGone.reason);
  if (clientGone.aborted) leave();
  else clientGone.addEventListener('abort', leave, { once: true });
  try {
    return await relayWithin(call, res, signal, log, api, () => timedOut && !clientGone.aborted);
  } finally {
    clearTimeout(timer);
    clientGone.removeEventListener('abort', leave);
  }
}

async function relayWithin(
  call: Admitted,
  res: http.ServerResponse,
  signal: AbortSignal,
  log: UpstreamLog,
  api: Admitted['endpoint']['spec']['api'],
  timedOut: () => boolean,
): Promise<CallEnd> {
  const why = (): 'cancelled' | 'timeout' => (timedOut() ? 'timeout' : 'cancelled');
  const fail = (e: LlmError) => {
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(e.status, { 'content-type': 'application/json', ...e.headers, ...RAW_ANSWER_HEADERS });
      res.end(JSON.stringify(errorBody(api, e)));
    } else res.destroy();
  };
  /** The call was cut short: by its timeout (the client hears 504) or by the client going away. */
  const aborted = (): CallEnd => {
    if (timedOut())
      fail(
        new LlmError(
          504,
          'upstream_timeout',
          `model endpoint "${call.endpoint.name}" did not answer within ${call.timeoutMs} ms`,
        ),
      );
    return { kind: 'cut', why: why() };
  };

  let upstream: http.IncomingMessage;
  // The provider's time: from sending the call to its answer's end (fulcrum_llm_upstream_seconds).
  const sent = performance.now();
  const providerSeconds = () => (performance.now() - sent) / 1000;
  try {
    upstream = await post(call.target, call.body, call.shape.stream, signal);
  } catch (err) {
    if (signal.aborted) return aborted();
    log({ endpoint: call.endpoint.name, detail: (err as Error).message }, `model endpoint ${call.endpoint.name} unreachable`);
    fail(
      new LlmError(
        502,
        'upstream_unavailable',
        `model endpoint "${call.endpoint.name}" is not reachable (the Fulcrum server log says why)`,
      ),
    );
    // Written and then lost: the provider may have answered (and billed) it.
    if ((err as { requestSent?: boolean }).requestSent) return { kind: 'cut', why: 'upstream_closed' };
    return { kind: 'unsent', why: (err as Error).message };
  }

  const status = upstream.statusCode ?? 502;
  if (status >= 300 && status < 400) {
    // A redirect is no answer: the model was not reached, and nothing was billed. Not followed (the
    // outbound policy judged the URL configured, not where the redirect points), nor relayed (a client
    // cannot follow it either: its key is Fulcrum's, its URL the gateway's). The endpoint is misconfigured.
    upstream.destroy();
    const location = String(upstream.headers.location ?? '(no location)').slice(0, 500);
    log(
      { endpoint: call.endpoint.name, detail: `redirected (${status}) to ${hideCredential(location, call.target.secrets)}` },
      `model endpoint ${call.endpoint.name} redirected the call: set its baseUrl to where the provider answers`,
    );
    fail(
      new LlmError(
        502,
        'upstream_unavailable',
        `model endpoint "${call.endpoint.name}" is not configured or not reachable (the Fulcrum server log says why)`,
      ),
    );
    return { kind: 'unsent', why: `redirected (${status})` };
  }
  const headers: Record<string, string> = {};
  for (const h of PASSED_RESPONSE_HEADERS) {
    const v = upstream.headers[h];
    // Hidden as in the body: a proxy that names each request by what it was sent with (a request id
    // made of its Authorization) would otherwise hand the endpoint's credential to the agent.
    if (typeof v === 'string') headers[h] = hideCredential(v, call.target.secrets);
  }
  const isStream = status < 400 && /^text\/event-stream\b/i.test(upstream.headers['content-type'] ?? '');

  if (!isStream) {
    const limit = status >= 400 ? MAX_ERROR_BYTES : MAX_ANSWER_BYTES;
    let body: Buffer;
    try {
      body = await readBounded(upstream, limit);
    } catch (err) {
      if (signal.aborted) {
        const end = aborted();
        // The status already said the provider refused the call, which it does not bill, however
        // much of the refusal was read before the client left or the timeout came.
        return status >= 400 ? { kind: 'answered', status, providerSeconds: providerSeconds() } : end;
      }
      log(
        { endpoint: call.endpoint.name, detail: (err as Error).message },
        `model endpoint ${call.endpoint.name} answer unreadable`,
      );
      fail(
        new LlmError(502, 'upstream_invalid', `model endpoint "${call.endpoint.name}" sent an answer the gateway could not read`),
      );
      // An error answer, too large or cut, is still the provider's refusal, which it does not bill: only
      // a whole answer lost midway may have been produced (and billed) in full.
      if (status >= 400) return { kind: 'answered', status, providerSeconds: providerSeconds() };
      return { kind: 'cut', why: 'upstream_closed' };
    }
    const took = providerSeconds();
    if (status === 401 || status === 403) {
      // The provider refused Fulcrum's credential, not the agent's: the agent's key is fine.
      log(
        // Hidden before it is cut, so a credential the cut falls in is hidden whole.
        { endpoint: call.endpoint.name, detail: hideCredential(body.toString('utf8'), call.target.secrets).slice(0, 2000) },
        `model endpoint ${call.endpoint.name} refused its credential (${status})`,
      );
      fail(
        new LlmError(
          502,
          'upstream_auth_failed',
          `model endpoint "${call.endpoint.name}" refused Fulcrum's credential for it (the Fulcrum server log says more)`,
        ),
      );
      return { kind: 'answered', status, providerSeconds: took };
    }
    if (!res.destroyed) {
      res.writeHead(status, { ...headers, ...RAW_ANSWER_HEADERS });
      res.end(withoutCredential(body, call.target.secrets));
    }
    // Its usage is read after it is on its way to the client (a large one on the worker thread).
    const answer = status < 400 ? await readAnswerOf(call.op, body) : {};
    return {
      kind: 'answered',
      status,
      providerSeconds: took,
      usage: answer.usage,
      responseId: answer.id,
      model: answer.model,
      tierAbovePrice: answer.tierAbovePrice,
    };
  }

  // A stream: relayed event by event.
  const meter = createStreamMeter(call.op, call.shape.wantsUsage);
  res.writeHead(status, { ...headers, ...RAW_ANSWER_HEADERS, 'x-accel-buffering': 'no' });
  res.flushHeaders();
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let overflow = false;
  const SEPARATOR = /\r\n\r\n|\n\n|\r\r/g;
  // Where the search for the next separator resumes: an event that arrives in many pieces is
  // searched once, not again from its start for each piece (16 MiB of an unending event in 64 KiB
  // pieces was ~2 GB of searching).
  let from = 0;
  const relayEvents = (text: string) => {
    buffer += text;
    let out = '';
    for (;;) {
      SEPARATOR.lastIndex = from;
      const m = SEPARATOR.exec(buffer);
      if (!m) break;
      from = 0;
      const block = buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
      const action = meter.onEvent(dataOf(block));
      if (action.kind === 'pass') out += `${block}\n\n`;
      else if (action.kind === 'rewrite') out += `${eventLines(block)}data: ${action.data}\n\n`;
    }
    // A separator is at most 4 characters: one may have begun in the last 3.
    from = Math.max(0, buffer.length - 3);
    if (buffer.length > MAX_EVENT_BYTES) overflow = true;
    return out;
  };
  // Whether the provider's stream was ever held back (paused) for a client reading slower than the
  // provider produced: cut later, what the provider went on producing meanwhile was never read.
  // (Whether it is held at the very moment of the cut cannot be told: tearing the client's connection
  // down drains what was waiting to be written to it.)
  let heldBack = false;
  /** When the provider's stream ended (its last event read), if it did. */
  let streamTook: number | undefined;
  const ended = await new Promise<'end' | 'aborted' | 'overflow'>((resolve) => {
    let settled = false;
    const done = (how: 'end' | 'aborted' | 'overflow') => {
      if (settled) return;
      settled = true;
      resolve(how);
    };
    upstream.on('data', (chunk: Buffer) => {
      const out = hideCredential(relayEvents(decoder.write(chunk)), call.target.secrets);
      if (overflow) {
        upstream.destroy();
        return done('overflow');
      }
      if (out && !res.destroyed && !res.write(out)) {
        upstream.pause();
        heldBack = true;
        res.once('drain', () => upstream.resume());
      }
    });
    upstream.once('end', () => {
      // An event the provider did not close with a blank line is still an event.
      let out = relayEvents(decoder.end());
      if (buffer.trim() !== '') out += relayEvents('\n\n');
      out = hideCredential(out, call.target.secrets);
      if (out && !res.destroyed) res.write(out);
      streamTook = providerSeconds();
      done('end');
    });
    upstream.once('error', () => done('aborted'));
    upstream.once('close', () => done(upstream.complete ? 'end' : 'aborted'));
  });
  // A stream that did not end as the provider ends one (cut by the timeout, the provider gone, an
  // event too large) is broken off, not closed: a clean end would read as a complete answer.
  if (!res.destroyed) {
    if (ended === 'end') res.end();
    else res.destroy();
  }
  const usage = meter.usage();
  // The provider's own count is the charge whenever it arrived, even if the stream was cut after it;
  // a stream that ended without one is answered without usage (charged the worst case, and said).
  if (usage || ended === 'end')
    return {
      kind: 'answered',
      status,
      ...(streamTook !== undefined ? { providerSeconds: streamTook } : {}),
      ...(usage ? { usage } : {}),
      responseId: meter.id(),
      model: meter.model(),
      tierAbovePrice: meter.tierAbovePrice(),
    };
  if (ended === 'overflow')
    log(
      { endpoint: call.endpoint.name, detail: `an SSE event over ${MAX_EVENT_BYTES} bytes` },
      `model endpoint ${call.endpoint.name} stream cut`,
    );
  return {
    kind: 'cut',
    why: signal.aborted ? why() : 'upstream_closed',
    partial: { ...meter.partial(), ...(heldBack ? { unread: true } : {}) },
    responseId: meter.id(),
    model: meter.model(),
    tierAbovePrice: meter.tierAbovePrice(),
  };
}

/** The data of one SSE event (its `data:` lines joined), or '' when it has none. */
function dataOf(block: string): string {
  if (!block.includes('data:')) return '';
  const lines = block.split(/\r\n|\n|\r/);
  const data: string[] = [];
  for (const l of lines) if (l.startsWith('data:')) data.push(l.slice(l.startsWith('data: ') ? 6 : 5));
  return data.join('\n');
}

/** The lines of an event other than its data (event:, id:), kept when its data is rewritten. */
function eventLines(block: string): string {
  return block
    .split(/\r\n|\n|\r/)
    .filter((l) => l !== '' && !l.startsWith('data:'))
    .map((l) => `${l}\n`)
    .join('');
}

function readBounded(stream: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        stream.destroy(new Error(`the answer is over ${max} bytes`));
        return;
      }
      chunks.push(c);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
    stream.once('close', () => {
      if (!stream.complete) reject(new Error('the connection closed before the answer was complete'));
    });
  });
}
