// The LLM gateway's large request bodies and whole answers, read on the worker thread of
// src/http/off-loop.ts (prepare.ts says what reading them is).
import { offLoopOr, ownBuffer } from '../http/off-loop.js';
import type { Operation } from './apis.js';
import { type Prepared, prepareCall, readAnswerBytes } from './prepare.js';

/** A request body read and prepared (on the worker thread when large: `raw` is handed over). */
export function prepareBody(op: Operation, raw: Buffer): Promise<Prepared> {
  return offLoopOr<Prepared>(
    { task: 'llm-call', op, raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) },
    () => prepareCall(op, raw),
    { transfer: ownBuffer(raw) },
  );
}

/** A whole answer's usage, id and model (on the worker thread when large, from a copy: the bytes are
 *  still being sent to the client). Never a failure of the call: an unreadable answer reads as one
 *  without usage. */
export function readAnswerOf(op: Operation, raw: Buffer): Promise<ReturnType<typeof readAnswerBytes>> {
  return offLoopOr({ task: 'llm-answer', op, raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) }, () =>
    readAnswerBytes(op, raw),
  ).catch(() => ({}));
}
