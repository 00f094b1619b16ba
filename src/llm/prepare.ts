// A request body, from its bytes to what the gateway needs of it: the call's shape (apis.ts
// readCall) and the body to forward, without parsing or serialising it a second time.
//
// Reading a large body is the costliest thing the gateway does with it: parsing 30 MiB of small
// messages, walking it for content parts and serialising it again held the event loop for ~550 ms
// (every decision on the node waited). So a body is prepared here, by one pure function, and large
// bodies are prepared on a worker thread (src/http/off-loop.ts, through prepare-pool.ts): the event
// loop only sees the shape and a buffer.
//
// A provider's whole answer (up to 64 MiB) is read the same way, for its usage: readAnswerBytes.
//
// What is forwarded is the body as the client sent it, except the members the gateway sets (the
// model, the injected output cap, `stream_options`): those are taken out here (`rest`, the other
// members as JSON text) and written back by composeForward once the registry has been read.
import { InputError } from '../errors.js';
import { parseJsonBody } from '../http/json-depth.js';
import { type CallShape, forwardBody, type Operation, readAnswer, readCall } from './apis.js';

/** The members forwardBody may set; everything else passes through as the client's text. */
const SET_BY_GATEWAY = [
  'model',
  'max_completion_tokens',
  'max_tokens',
  'max_output_tokens',
  'stream_options',
  'service_tier',
] as const;
/** `stream_options` is read and rewritten on the event loop: a small object or a 400. */
const MAX_STREAM_OPTIONS_BYTES = 4096;

export interface Prepared {
  shape: CallShape;
  /** The body's other members as JSON text, without the braces ('' when there are none). */
  rest: Uint8Array;
  /** The members the gateway may set, as the client sent them (absent when it did not). */
  kept: Record<string, unknown>;
  /** The body's size as received. */
  bytes: number;
}

/** Parses and reads one request body; a malformed one is an InputError (a 400 in the API's format). */
export function prepareCall(op: Operation, raw: Uint8Array): Prepared {
  const body = parseJsonBody(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));
  const shape = readCall(op, body);
  const others: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const kept: Record<string, unknown> = {};
  for (const k of SET_BY_GATEWAY) {
    if (!(k in others)) continue;
    kept[k] = others[k];
    delete others[k];
  }
  if (kept.stream_options !== undefined && JSON.stringify(kept.stream_options).length > MAX_STREAM_OPTIONS_BYTES)
    throw new InputError(`stream_options must be at most ${MAX_STREAM_OPTIONS_BYTES} bytes of JSON`);
  const json = JSON.stringify(others);
  // Its own ArrayBuffer (a small Buffer.from shares a pool): a worker hands it over without a copy.
  return { shape, rest: new TextEncoder().encode(json.slice(1, -1)), kept, bytes: raw.byteLength };
}

/** The body sent upstream: the client's members, with the ones the gateway sets as forwardBody sets them. */
export function composeForward(op: Operation, p: Prepared, opts: Parameters<typeof forwardBody>[2]): Buffer {
  const set = JSON.stringify(forwardBody(op, p.kept, opts));
  if (p.rest.byteLength === 0) return Buffer.from(set);
  return Buffer.concat([Buffer.from(`${set.slice(0, -1)},`), p.rest, Buffer.from('}')]);
}

/** What a whole answer says (apis.ts readAnswer), from its bytes; nothing when it is not JSON. */
export function readAnswerBytes(op: Operation, raw: Uint8Array): ReturnType<typeof readAnswer> {
  try {
    return readAnswer(op, JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8')));
  } catch {
    return {};
  }
}
