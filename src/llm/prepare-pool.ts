// Large request bodies are prepared, and large whole answers read (prepare.ts), on a worker thread,
// so a 30 MiB body does not hold every other request of the node behind it. One thread: a node has few cores, and the bodies it
// takes are rare. It starts on the first large body, is unref'd while it has nothing to do, and a
// thread that dies (out of memory on a hostile body, say) fails the calls it held and is replaced
// on the next one.
//
// The thread runs the compiled module (dist/llm/prepare-thread.js). Under the test runner, which
// runs the TypeScript sources, that is the build next to them (`npm test` builds first); without a
// build, bodies are prepared on the event loop as before, and `offLoop()` says so.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import type { Operation } from './apis.js';
import { PREPARE_OFF_LOOP_BYTES, type Prepared, prepareCall, readAnswerBytes } from './prepare.js';

type Answer = ReturnType<typeof readAnswerBytes>;

interface Pending {
  resolve(p: Prepared | Answer): void;
  reject(err: Error): void;
}

interface Reply {
  id: number;
  prepared?: Prepared;
  answer?: Answer;
  error?: { input: boolean; message: string };
}

function threadScript(): URL | undefined {
  const here = fileURLToPath(import.meta.url);
  const script = here.endsWith('.ts')
    ? new URL('../../dist/llm/prepare-thread.js', import.meta.url)
    : new URL('./prepare-thread.js', import.meta.url);
  return fs.existsSync(script) ? script : undefined;
}

let script: URL | undefined | null = null;
let thread: { worker: Worker; pending: Map<number, Pending> } | undefined;
let sequence = 0;
let started = 0;
let read = 0;

/** Whether large bodies go to the worker thread here, how many threads were started and how many
 *  bodies and answers they read (tests). */
export function offLoop(): { available: boolean; started: number; read: number; worker: Worker | undefined } {
  if (script === null) script = threadScript();
  return { available: script !== undefined, started, read, worker: thread?.worker };
}

function current(url: URL) {
  if (thread) return thread;
  const worker = new Worker(url);
  started++;
  const t = { worker, pending: new Map<number, Pending>() };
  const gone = (why: string) => {
    if (thread === t) thread = undefined;
    for (const p of t.pending.values()) p.reject(new Error(why));
    t.pending.clear();
  };
  worker.on('message', (r: Reply) => {
    const p = t.pending.get(r.id);
    if (!p) return;
    t.pending.delete(r.id);
    if (t.pending.size === 0) worker.unref();
    if (r.prepared) p.resolve(r.prepared);
    else if (r.answer) p.resolve(r.answer);
    else if (r.error?.input) p.reject(new InputError(r.error.message));
    else p.reject(new Error(`preparing the request body failed: ${r.error?.message}`));
  });
  worker.on('error', (err) => gone(`the request body could not be prepared: ${err.message}`));
  worker.on('exit', (code) => gone(`the request body could not be prepared (its worker thread exited, code ${code})`));
  worker.unref();
  thread = t;
  return t;
}

/**
 * A request body read and prepared: on the worker thread when it is large (the bytes are handed
 * over: `raw` is not usable afterwards), on the event loop otherwise.
 */
export function prepareBody(op: Operation, raw: Buffer): Promise<Prepared> {
  if (raw.byteLength < PREPARE_OFF_LOOP_BYTES || !offLoop().available) return Promise.resolve().then(() => prepareCall(op, raw));
  // Handed over when the bytes are their own buffer (a large body's always are); copied otherwise.
  const own = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength;
  return ask<Prepared>(
    { op, raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) },
    own ? [raw.buffer as ArrayBuffer] : [],
  );
}

/** A whole answer's usage, id and model: read on the worker thread when it is large (from a copy: the
 *  bytes are still being sent to the client). */
export function readAnswerOf(op: Operation, raw: Buffer): Promise<Answer> {
  if (raw.byteLength < PREPARE_OFF_LOOP_BYTES || !offLoop().available) return Promise.resolve(readAnswerBytes(op, raw));
  // Never a failure of the call: an answer whose usage cannot be read is charged as one without it.
  return ask<Answer>({ op, raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), answer: true }, []).catch(() => ({}));
}

function ask<T extends Prepared | Answer>(
  message: { op: Operation; raw: Uint8Array; answer?: true },
  transfer: ArrayBuffer[],
): Promise<T> {
  const t = current(script as URL);
  const id = ++sequence;
  read++;
  return new Promise<T>((resolve, reject) => {
    t.pending.set(id, { resolve: resolve as (v: Prepared | Answer) => void, reject });
    t.worker.ref();
    t.worker.postMessage({ id, ...message }, transfer);
  });
}
