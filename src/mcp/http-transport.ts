// The gateway's connection to an upstream MCP server over Streamable HTTP, as an MCP SDK Transport
// under the SDK's `Client` (which still does the handshake, request ids, timeouts, cancellation and
// result validation). It POSTs each message over a keep-alive `node:http` agent and reads the answer,
// JSON or an SSE stream, as it arrives.
//
// Why not the SDK's StreamableHTTPClientTransport: for every call it builds a WHATWG Request and
// Response and parses an SSE answer through a TextDecoderStream and an EventSourceParserStream. With
// server-everything answering in SSE, that was ~600 µs of CPU per call more than this (in-process,
// against a local upstream), which is most of what the gateway added on top of its guard.
//
// What it leaves out, as the gateway does not use it: the standalone GET stream for messages an
// upstream sends outside any call, resuming a broken SSE stream from its last event id, and OAuth
// (an upstream's credentials are headers whose values the operator provides, see upstream.ts).
//
// Both protocol generations go through it. A message whose `_meta` claims a protocol version (the
// 2026-07-28 envelope; a 2025 message has none) gets the headers that generation requires, derived
// from the body as the SDK's own transport derives them: `MCP-Protocol-Version`, `Mcp-Method`, and
// `Mcp-Name` for tools/call and prompts/get (`params.name`) and resources/read (`params.uri`), in the
// `=?base64?…?=` form when not a plain header value. Such a request's HTTP 4xx whose body is a
// JSON-RPC error (a 2026 server's header and envelope checks answer that way) is delivered as that
// error, as a 2026 client expects; everything else about a 4xx, and all of a 2025 exchange, is as before.
//
// Every agent's requests share the connection, but each has its own POST: only the response to the
// request a POST carried is delivered from it. One naming another id (a confused proxy) is dropped and
// that request fails (CrossedAnswerError): delivered by its id, it could reach another agent's call.
//
// Every connection goes through the outbound policy (src/net/outbound.ts): a URL it refuses is never
// requested, and a name that resolves to an internal address fails before a socket opens.
//
// What an upstream sends is bounded (an upstream may be anyone's server): at most ERROR_BODY_BYTES of
// an error body, `maxResponseBytes` for a JSON answer and for each SSE event. Past a bound the
// response is destroyed and the request fails (an SSE stream closes the connection, failing every
// call on it); nothing an upstream sends can throw out of a stream listener.
//
// So is how many messages one answer's stream hands on. Checking and routing a message costs the event
// loop some 70 µs (the SDK's schema, its handlers), so an upstream writing notifications as fast as
// the socket took them held the loop, for every agent on the node, until the call's timeout (200,000
// in 14 s, a concurrent /healthz waiting up to 1.3 s). Past a burst and a rate (STREAM_MESSAGES_BURST,
// STREAM_MESSAGES_PER_SECOND), the stream's notifications and requests are dropped after JSON.parse
// alone, unchecked and unrouted, and counted (`onDropped`); its answer is still delivered. Closing
// the stream instead ended an honest tool that reports progress per item, and the call with it.
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { type OutboundPolicy, OutboundRefusedError } from '../net/outbound.js';
import { hideSecrets, hideSecretsInHead, redactSecrets, secretsToHide } from '../net/secrets.js';

/** The SDK's message schema (passed in: the SDK is loaded lazily, see sdk.ts). */
interface MessageSchema {
  parse(value: unknown): unknown;
}

/**
 * An HTTP failure, worded as the SDK's transport words it. What the upstream sent (`body`, the start
 * of it) is kept apart from the message: it is for the server log, never for a caller.
 */
export class StreamableHttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly body?: string,
  ) {
    super(`Streamable HTTP error: ${message}`);
  }
}

export interface HttpTransportOptions {
  outbound: OutboundPolicy;
  /** Extra request headers (an McpServer's resolved `headers`). */
  headers?: Record<string, string>;
  /** Largest JSON answer (bytes) or SSE event (characters) accepted; default MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
  /**
   * Hears each message an answer's stream carried past its rate and that was dropped unread (a
   * notification, or a request left unanswered); `first` is true for the first one of that stream.
   */
  onDropped?: (kind: 'notification' | 'request', first: boolean) => void;
}

/** The `_meta` key of the 2026-07-28 envelope that names the protocol version a request speaks. */
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

/**
 * What the 2026-07-28 SDK client passes with a message besides the 2025 options: headers for this
 * request only (`Mcp-Param-*`), and a signal whose abort cancels it (on Streamable HTTP, closing a
 * request's stream is the 2026 way to cancel it, see `hasPerRequestStream`).
 */
export type SendOptions = TransportSendOptions & {
  headers?: Readonly<Record<string, string>>;
  requestSignal?: AbortSignal;
};

/** Default bound on one answer: well above any tool result an agent can use. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** How much of an error body is kept, for the server log; the rest is never read. */
export const ERROR_BODY_BYTES = 4096;
/** How long an SSE answer's stream may stay open after its answer, or a 202's or an error's body, before it is closed from here. */
export const ANSWERED_STREAM_GRACE_MS = 1000;
/**
 * How many messages one answer's SSE stream hands on to the SDK: a burst of STREAM_MESSAGES_BURST, then
 * STREAM_MESSAGES_PER_SECOND on average. Past that its notifications and requests are dropped unread
 * (see the top of this file); a tool's honest progress, a few reports a second, stays far under it.
 */
export const STREAM_MESSAGES_BURST = 200;
export const STREAM_MESSAGES_PER_SECOND = 100;
/**
 * How many messages one answer's stream may have dropped before it is closed and its call fails:
 * dropping costs ~3 µs a message, so an endless flood would still keep the loop busy until the call's
 * timeout. A tool reporting a thousand times a second reaches it after some four minutes; one reporting a few
 * times a second never does. Closing the stream fails every call on its connection, as an oversized event does.
 */
export const STREAM_DROPPED_MAX = 250_000;

export class UpstreamHttpTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  sessionId?: string;
  /** One POST per request: a 2026 client cancels by aborting it (`requestSignal`), not by a notification. */
  readonly hasPerRequestStream = true;

  private protocolVersion?: string;
  private closed = false;
  private readonly open = new Set<http.ClientRequest>();
  /** The 2025 client's requests in flight, by JSON-RPC id: its `notifications/cancelled` closes one. */
  private readonly cancellers = new Map<string | number, AbortController>();
  private readonly maxBytes: number;
  /** The credentials this transport sends, hidden in whatever the upstream sends back. */
  private readonly secrets: string[];

  constructor(
    private readonly url: URL,
    private readonly schema: MessageSchema,
    private readonly opts: HttpTransportOptions,
  ) {
    this.maxBytes = opts.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.secrets = secretsToHide(Object.values(opts.headers ?? {}));
  }

  /**
   * A message from the upstream, checked, with the credentials sent to it hidden: an upstream that
   * echoes its request headers (a debugging tool, a reflecting proxy) must not hand them to agents.
   */
  private received(data: unknown): JSONRPCMessage {
    return this.schema.parse(redactSecrets(data, this.secrets)) as JSONRPCMessage;
  }

  async start(): Promise<void> {}

  /** A new transport to the same upstream with the same settings (and the same pool of sockets). */
  sibling(): UpstreamHttpTransport {
    return new UpstreamHttpTransport(this.url, this.schema, this.opts);
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  async send(message: JSONRPCMessage, options?: SendOptions): Promise<void> {
    // The 2025 client gives up a request (its timeout) by sending `notifications/cancelled` for it:
    // the request's own POST is closed too, or it would hold its socket until the upstream answered
    // (never, for a hung tool) and enough such calls would leave no socket for anything else.
    if ('method' in message && message.method === 'notifications/cancelled') {
      const cancelled = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (typeof cancelled === 'string' || typeof cancelled === 'number') this.cancellers.get(cancelled)?.abort();
    }
    let signal = options?.requestSignal;
    const id = 'method' in message && 'id' in message ? message.id : undefined;
    if (!signal && id !== undefined) {
      const canceller = new AbortController();
      this.cancellers.set(id, canceller);
      signal = canceller.signal;
    }
    const settled = () => {
      if (id !== undefined && this.cancellers.get(id)?.signal === signal) this.cancellers.delete(id);
    };
    let sending = false;
    try {
      if (this.closed) throw new Error('Not connected');
      sending = true;
      const refused = this.opts.outbound.refusal(this.url);
      if (refused) throw new OutboundRefusedError(refused);
      const modern = modernHeaders(message);
      const res = await this.post(JSON.stringify(message), modern, options?.headers, signal);
      res.once('close', settled);
      const session = res.headers['mcp-session-id'];
      if (typeof session === 'string') this.sessionId = session;
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        // An error body the upstream never ends held a socket for good (nothing bounds the wait of
        // a notification's POST): what came within a moment is what the log gets.
        closeUnlessEnded(res);
        const head = await readHead(res, ERROR_BODY_BYTES);
        const text = head.cut ? hideSecretsInHead(head.text, this.secrets) : hideSecrets(head.text, this.secrets);
        if (modern && status >= 400 && status < 500 && 'id' in message) {
          // A 2026 server's refusal of this request (a header or envelope check): its JSON-RPC error.
          const error = rpcErrorFor(text, message.id);
          if (error) return void this.onmessage?.(this.received(error));
        }
        throw new StreamableHttpError(status, `Error POSTing to endpoint: HTTP ${status}`, text.slice(0, 500));
      }
      if (status === 202 || id === undefined) {
        // Read to the end so the socket is reused, but only so far, and only for a moment: a longer
        // body (or a broken socket) is the upstream's fault, reported like any transport error, and
        // one it never ends is closed (it held a socket for good, as an open SSE answer did).
        readCapped(res, ERROR_BODY_BYTES).catch((err: Error) => this.onerror?.(err));
        closeUnlessEnded(res);
        return;
      }
      const type = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type === 'text/event-stream') return await this.readEvents(res, id, signal);
      if (type === 'application/json') {
        const data: unknown = JSON.parse(await readCapped(res, this.maxBytes));
        let answered = false;
        let other: { id: unknown } | undefined; // a response for another request
        for (const m of Array.isArray(data) ? data : [data]) {
          const received = this.received(m);
          // Only this request's answer: another id's answer on this POST is dropped (see CrossedAnswerError).
          if (!isResponse(received)) this.onmessage?.(received);
          else if (sameId(received.id, id) && !answered) {
            answered = true;
            this.onmessage?.(received);
          } else other ??= { id: received.id };
        }
        if (!answered) throw new CrossedAnswerError(id, other);
        if (other) this.onerror?.(new CrossedAnswerError(id, other));
        return;
      }
      res.destroy();
      throw new StreamableHttpError(
        -1,
        `Unexpected content type: ${hideSecrets(String(res.headers['content-type']), this.secrets)}`,
      );
    } catch (err) {
      settled();
      // Closed while in flight: close() gave the request up (its POST destroyed before or after the
      // answer's headers came, whichever the timing), as a stream being read is given up.
      if (sending && this.closed) return;
      // A cancelled request's failure is the cancelling, not a fault of the connection.
      if (!signal?.aborted) this.onerror?.(err as Error);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const req of this.open) req.destroy();
    this.open.clear();
    this.cancellers.clear();
    this.onclose?.();
  }

  private post(
    body: string,
    modern: Record<string, string> | undefined,
    extra: Readonly<Record<string, string>> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<http.IncomingMessage> {
    const headers: Record<string, string> = {
      ...this.opts.headers,
      ...extra,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
    if (modern) Object.assign(headers, modern);
    const lib = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Error('request cancelled'));
      const req = lib.request(this.url, {
        method: 'POST',
        headers,
        agent: this.opts.outbound.agentFor(this.url),
      });
      // Cancelling closes this request's socket: the upstream sees the stream end (2026 cancellation).
      signal?.addEventListener('abort', () => req.destroy(), { once: true });
      this.open.add(req);
      req.on('response', (res) => {
        res.on('close', () => this.open.delete(req));
        resolve(res);
      });
      req.on('error', (err) => {
        this.open.delete(req);
        reject(err);
      });
      req.end(body);
    });
  }

  /**
   * An SSE answer: each `message` event's data is a JSON-RPC message, delivered as it arrives. The
   * unfinished event is kept as a list of chunks and only the new chunk is searched for its end, so
   * reading is linear in what arrives; an event longer than the bound ends the connection.
   *
   * Settles when the stream is done with this request: rejects only when it carried an answer for
   * another request (dropped, see CrossedAnswerError), which fails this request alone. (The SDKs' clients
   * do not wait on a request's send: they take its rejection as the request's failure.)
   */
  private readEvents(res: http.IncomingMessage, id: string | number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      res.setEncoding('utf8');
      let parts: string[] = []; // the unfinished event
      let size = 0;
      let tail = ''; // its last characters: an event's end may straddle two chunks
      let state: 'reading' | 'answered' | 'failed' = 'reading';
      let after = 0; // characters sent after the answer
      // The messages this stream may still hand on now (STREAM_MESSAGES_BURST at most), refilled with time.
      let allowance = STREAM_MESSAGES_BURST;
      let refilled = performance.now();
      let dropped = 0;
      const mayHandOn = () => {
        if (allowance < 1) {
          const now = performance.now();
          allowance = Math.min(STREAM_MESSAGES_BURST, allowance + ((now - refilled) * STREAM_MESSAGES_PER_SECOND) / 1000);
          refilled = now;
          if (allowance < 1) return false;
        }
        allowance--;
        return true;
      };
      const fail = (err: Error) => {
        if (state === 'failed') return;
        state = 'failed';
        res.destroy();
        resolve();
        if (signal?.aborted) return; // this request was cancelled: the others on the connection go on
        // A request whose answer was on this stream would otherwise wait for its timeout: closing
        // fails it (and every other call on the connection) now; the next call reconnects.
        this.onerror?.(err);
        this.close().catch((closeErr: Error) => this.onerror?.(closeErr)); // only onclose can throw
      };
      const dispatch = (block: string) => {
        let event = '';
        const data: string[] = [];
        for (const line of block.split(/\r\n|\r|\n/)) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
          if (field === 'data') data.push(value);
          else if (field === 'event') event = value;
        }
        // Priming and keep-alive events carry no data.
        const text = data.join('\n');
        if (text === '' || (event !== '' && event !== 'message')) return;
        let message: JSONRPCMessage;
        try {
          const parsed: unknown = JSON.parse(text);
          // A notification or a request (a `method`) past the stream's rate: dropped before the schema.
          // A response, this stream's answer or not, always goes on (one ends the stream, see below).
          if (typeof parsed === 'object' && parsed !== null && 'method' in parsed && !mayHandOn()) {
            dropped++;
            this.opts.onDropped?.('id' in parsed ? 'request' : 'notification', dropped === 1);
            if (dropped > STREAM_DROPPED_MAX) {
              fail(
                new Error(
                  `the upstream sent more than ${STREAM_DROPPED_MAX} messages past the rate read on one answer's stream (${STREAM_MESSAGES_BURST} at once, ${STREAM_MESSAGES_PER_SECOND} a second): closed`,
                ),
              );
            }
            return;
          }
          message = this.received(parsed);
        } catch (err) {
          this.onerror?.(err as Error);
          return;
        }
        if (isResponse(message) && !sameId(message.id, id)) {
          // Not this request's answer, so not delivered (it could name another agent's call); this
          // request fails now, and nothing more is read from its stream.
          state = 'failed';
          res.destroy();
          reject(new CrossedAnswerError(id, { id: message.id }));
          return;
        }
        this.onmessage?.(message);
        // The answer ends what this stream is for: what follows is skipped (a little of it, so
        // the socket is reused when the upstream ends the stream as it should). A stream the
        // upstream keeps open after it is closed from here: each held one of the upstream's sockets
        // for good, and once all were held every later call to it waited for one until it timed out.
        if (isResponse(message)) {
          state = 'answered';
          resolve();
          closeUnlessEnded(res);
        }
      };
      /** Text of the unfinished event, kept until its end arrives (or it passes the bound). */
      const keep = (text: string) => {
        parts.push(text);
        size += text.length;
        tail = (tail + text).slice(-3);
        if (size > this.maxBytes) throw tooLarge('an SSE event', this.maxBytes);
      };
      res.on('data', (chunk: string) => {
        if (state === 'answered') {
          after += chunk.length;
          if (after > ERROR_BODY_BYTES) res.destroy();
        }
        if (state !== 'reading') return;
        try {
          let from = 0; // where this chunk's unread part starts
          if (size > 0) {
            // The unfinished event's end may straddle the two chunks: searched from its last characters.
            const end = eventEnd(tail + chunk, 0);
            if (!end) {
              keep(chunk);
              return;
            }
            // Where the event ends, counted in (the unfinished event + chunk).
            const at = size - tail.length + end.at;
            if (at > this.maxBytes) throw tooLarge('an SSE event', this.maxBytes);
            dispatch((parts.join('') + chunk).slice(0, at));
            if (state !== 'reading') return;
            // The tail holds no whole end (it was searched with the chunk before), so this is inside the chunk.
            from = end.at + end.length - tail.length;
            parts = [];
            size = 0;
            tail = '';
          }
          // Each further event is found and cut by its offsets in the chunk: cutting the rest off after
          // each (a new string each time, copied when searched) made a chunk of many small events cost
          // the square of its length.
          for (;;) {
            const end = eventEnd(chunk, from);
            if (!end) break;
            if (end.at - from > this.maxBytes) throw tooLarge('an SSE event', this.maxBytes);
            dispatch(chunk.slice(from, end.at));
            if (state !== 'reading') return;
            from = end.at + end.length;
          }
          if (from < chunk.length) keep(from === 0 ? chunk : chunk.slice(from));
        } catch (err) {
          fail(err as Error);
        }
      });
      res.on('end', () => {
        if (state !== 'reading') return;
        const rest = parts.join('');
        if (rest.trim() !== '') dispatch(rest);
      });
      res.on('error', (err) => fail(new Error(`SSE stream disconnected: ${err}`)));
      // Ended, cancelled or closed without an answer: the request's own timeout (or close) settles it.
      res.on('close', () => resolve());
    });
  }
}

/** Closes `res` unless it ends within ANSWERED_STREAM_GRACE_MS (what Fulcrum waited for is in it already). */
function closeUnlessEnded(res: http.IncomingMessage): void {
  if (res.complete) return;
  const grace = setTimeout(() => res.destroy(), ANSWERED_STREAM_GRACE_MS).unref();
  res.once('close', () => clearTimeout(grace));
}

/** A JSON-RPC response (a result or an error), as opposed to a request or a notification. */
function isResponse(m: JSONRPCMessage): m is JSONRPCMessage & { id: string | number } {
  return !('method' in m) && ('result' in m || 'error' in m);
}

/** The same request id; the SDK 1.x client also takes a number's string form (it reads `Number(id)`). */
function sameId(a: unknown, b: string | number): boolean {
  return a === b || (typeof a === 'string' && typeof b === 'number' && a === String(b));
}

/**
 * An upstream answered a POST with a response that is not for the request it carried (a confused
 * proxy, a server mixing up its streams), or with none. Every agent's calls share the connection, so
 * delivering it by the id it names could hand one agent the answer to another's call: it is dropped,
 * and the request the POST carried fails.
 */
export class CrossedAnswerError extends StreamableHttpError {
  constructor(posted: string | number, other: { id: unknown } | undefined) {
    const show = (v: unknown) => String(JSON.stringify(v) ?? v).slice(0, 100);
    super(
      -1,
      other
        ? `the upstream answered request ${show(posted)} with a response for request ${show(other.id)}: not delivered`
        : `the upstream's reply to request ${show(posted)} held no response to it`,
    );
  }
}

/**
 * The 2026-07-28 headers for a message whose envelope claims a version, derived from the body (as
 * the SDK's transport derives them, so a server's cross-check of header against body holds);
 * `undefined` for a 2025 message, which is sent exactly as before.
 */
function modernHeaders(message: JSONRPCMessage): Record<string, string> | undefined {
  if (!('method' in message)) return undefined;
  const params = message.params as { _meta?: Record<string, unknown>; name?: unknown; uri?: unknown } | undefined;
  const version = params?._meta?.[PROTOCOL_VERSION_META_KEY];
  if (typeof version !== 'string') return undefined;
  const headers: Record<string, string> = { 'mcp-protocol-version': version, 'mcp-method': message.method };
  const name = mcpNameOf(message.method, params);
  if (typeof name === 'string') headers['mcp-name'] = headerValue(name);
  return headers;
}

/** What a request's Mcp-Name header carries: a tool's or prompt's name, a resource's URI. */
export function mcpNameOf(method: string, params: { name?: unknown; uri?: unknown } | undefined): unknown {
  if (method === 'tools/call' || method === 'prompts/get') return params?.name;
  return method === 'resources/read' ? params?.uri : undefined;
}

/**
 * A string as an HTTP field value under MCP's value-encoding rule: visible ASCII (with inner spaces
 * and tabs) as it is; anything else, or a value that is already in the encoded form, as
 * `=?base64?<base64 of its UTF-8>?=`.
 */
export function headerValue(value: string): string {
  const plain =
    value.length > 0 &&
    value === value.trim() &&
    !(value.startsWith('=?base64?') && value.endsWith('?=')) &&
    /^[\x20-\x7e\t]*$/.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** A JSON-RPC error answering request `id`, if `text` is one (the body of an HTTP 4xx). */
function rpcErrorFor(text: string, id: unknown): unknown {
  try {
    const m = JSON.parse(text) as { jsonrpc?: unknown; id?: unknown; error?: { code?: unknown; message?: unknown } };
    const ok = m?.jsonrpc === '2.0' && m.id === id && typeof m.error?.code === 'number' && typeof m.error.message === 'string';
    return ok ? m : undefined;
  } catch {
    return undefined;
  }
}

function tooLarge(what: string, max: number): StreamableHttpError {
  return new StreamableHttpError(-1, `${what} longer than ${max}, the most Fulcrum reads (FULCRUM_MCP_MAX_RESPONSE_BYTES)`);
}

/** Where the first event in `text` ends (a blank line), and how long the separator is. */
function eventEnd(text: string, from: number): { at: number; length: number } | undefined {
  EVENT_END.lastIndex = from;
  const m = EVENT_END.exec(text);
  return m ? { at: m.index, length: m[0].length } : undefined;
}
const EVENT_END = /\r\n\r\n|\n\n|\r\r/g;

/** The whole body as text, or a rejection once it passes `max` bytes (the response is destroyed). */
function readCapped(res: http.IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        res.destroy();
        reject(tooLarge('an answer', max));
      } else chunks.push(chunk);
    });
    res.on('end', () => {
      try {
        resolve(Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        reject(err);
      }
    });
    res.on('error', reject);
    // Only a close before the end is a failure (an Error's stack costs ~30 µs to build: not on every answer).
    res.on('close', () => {
      if (!res.complete) reject(new StreamableHttpError(-1, 'the answer ended early'));
    });
  });
}

/** The first `max` bytes of the body (for the log); the rest is not read: the response is destroyed. */
function readHead(res: http.IncomingMessage, max: number): Promise<{ text: string; cut: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      res.destroy();
      // Cut by the bound, or the upstream gone before the end: the text may end inside a secret. A
      // character the bound split is left out (as U+FFFD it would hide a secret's beginning).
      const cut = size >= max || !res.complete;
      const body = Buffer.concat(chunks);
      resolve({ text: cut ? new StringDecoder('utf8').write(body) : body.toString('utf8'), cut });
    };
    res.on('data', (chunk: Buffer) => {
      if (done) return;
      chunks.push(chunk.subarray(0, max - size));
      size += chunk.length;
      if (size >= max) finish();
    });
    res.on('end', finish);
    res.on('error', finish);
    res.on('close', finish);
  });
}
