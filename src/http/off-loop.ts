// Work on a request body that grows with its size (parsing it, reading it, writing it out again) is
// done on a worker thread when the body is large, so one caller's 30 MiB body does not hold every
// other request of the node (its agents' decisions first) behind it. What runs there is in
// off-loop-thread.ts: the LLM gateway's request bodies and whole answers (src/llm/prepare.ts) and
// OTLP trace exports (src/evidence/otlp-body.ts). Small bodies are read the same way on the event
// loop: the hop costs more than they do. The board report's PDF is drawn there too, whatever its size.
//
// One thread: a node has few cores and large bodies are rare. It starts on the first large body and
// is unref'd while it has nothing to do; a thread that dies (out of memory on a hostile body, say)
// fails what it held and is replaced on the next body. Its heap is bounded (MAX_HEAP_MB): a body
// that needs more ends the thread, not the process. A result may come in parts (a large export's
// spans): the thread sends the next part when this side asks for it, a turn of the event loop after
// taking in the last (sent all at once, ~18 parts of 2,048 spans were taken in as one ~50 ms task).
//
// The thread runs the compiled module (dist/http/off-loop-thread.js). Under the test runner, which
// runs the TypeScript sources, that is the build next to them (`npm test` builds first); without a
// build, large bodies are read on the event loop as before, and `offLoop()` says so.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ErrorCode, FulcrumError } from '../errors.js';

const READING = 'reading the body';

/** Bodies at least this large are read off the event loop. */
export const OFF_LOOP_BYTES = 256 * 1024;
/** The thread's heap: 32 MiB of small JSON messages takes ~300 MB while it is read. */
const MAX_HEAP_MB = 1024;

/** What the thread does (off-loop-thread.ts), and what it is given. */
export type Task =
  | { task: 'llm-call'; op: string; raw: Uint8Array }
  | { task: 'llm-answer'; op: string; raw: Uint8Array }
  | { task: 'otlp-traces'; encoding: 'protobuf' | 'json'; raw: Uint8Array }
  /** The board report drawn as a PDF (src/insight/report-pdf.ts): the result is its bytes. */
  | { task: 'report-pdf'; report: unknown };
/** This side asking for a task's next part. */
export type NextPart = { task: 'next'; id: number };

/** What the thread sends back for one task: parts (optional), then the result or an error. */
export type ThreadReply =
  | { id: number; part: unknown[] }
  | { id: number; result: unknown }
  | { id: number; error: { code?: ErrorCode; message: string } };

interface Pending {
  /** What the task is, in the words its failures use ("reading the body", "drawing the PDF report"). */
  doing: string;
  resolve(result: unknown): void;
  reject(err: Error): void;
  onPart?: (part: unknown[]) => void;
}

function threadScript(): URL | undefined {
  const here = fileURLToPath(import.meta.url);
  const script = here.endsWith('.ts')
    ? new URL('../../dist/http/off-loop-thread.js', import.meta.url)
    : new URL('./off-loop-thread.js', import.meta.url);
  return fs.existsSync(script) ? script : undefined;
}

let script: URL | undefined | null = null;
let thread: { worker: Worker; pending: Map<number, Pending> } | undefined;
let sequence = 0;
let started = 0;
let tasks = 0;

/** Whether large bodies are read off the event loop here, how many threads were started and how
 *  many tasks they were given (tests and bench). */
export function offLoop(): { available: boolean; started: number; tasks: number; worker: Worker | undefined } {
  if (script === null) script = threadScript();
  return { available: script !== undefined, started, tasks, worker: thread?.worker };
}

function current(url: URL) {
  if (thread) return thread;
  const worker = new Worker(url, { resourceLimits: { maxOldGenerationSizeMb: MAX_HEAP_MB } });
  started++;
  const t = { worker, pending: new Map<number, Pending>() };
  /** The thread is gone: each task it held fails, told in its own words. */
  const gone = (err: (doing: string) => Error) => {
    if (thread === t) thread = undefined;
    for (const p of t.pending.values()) p.reject(err(p.doing));
    t.pending.clear();
  };
  worker.on('message', (r: ThreadReply) => {
    const p = t.pending.get(r.id);
    if (!p) return;
    if ('part' in r) {
      p.onPart?.(r.part);
      const next: NextPart = { task: 'next', id: r.id };
      setImmediate(() => worker.postMessage(next));
      return;
    }
    t.pending.delete(r.id);
    if (t.pending.size === 0) worker.unref();
    if ('result' in r) p.resolve(r.result);
    else if (r.error.code) p.reject(new FulcrumError(r.error.code, r.error.message));
    else p.reject(new Error(`${p.doing} failed: ${r.error.message}`));
  });
  worker.on('error', (err: Error & { code?: string }) =>
    gone((doing) =>
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? // A body too large to read is the caller's; a report too large to draw is not.
          doing === READING
          ? new FulcrumError('payload_too_large', `${doing} took more than ${MAX_HEAP_MB} MB`)
          : new Error(`${doing} took more than ${MAX_HEAP_MB} MB`)
        : new Error(`${doing} failed: ${err.message}`),
    ),
  );
  worker.on('exit', (code) => gone((doing) => new Error(`${doing} failed (its worker thread exited, code ${code})`)));
  worker.unref();
  thread = t;
  return t;
}

/**
 * Runs `task` on the thread when its body is large and the thread is available, else `inline` here.
 * `transfer`: buffers handed over (unusable here afterwards); everything else is copied.
 */
export function offLoopOr<T>(
  task: Task & { raw: Uint8Array },
  inline: () => T,
  opts: { transfer?: ArrayBuffer[]; onPart?: (part: unknown[]) => void } = {},
): Promise<T> {
  if (task.raw.byteLength < OFF_LOOP_BYTES || !offLoop().available) return Promise.resolve().then(inline);
  return send(task, opts);
}

/**
 * Runs `task` on the thread whenever the thread is available, else `inline` here: work that holds the
 * event loop for long whatever its input's size (drawing the board report as a PDF: ~90 ms in one
 * piece on a quiet node, several hundred on a busy one).
 */
export function onThreadOr<T>(task: Task, inline: () => T | Promise<T>): Promise<T> {
  if (!offLoop().available) return Promise.resolve().then(inline);
  return send(task, {});
}

function send<T>(task: Task, opts: { transfer?: ArrayBuffer[]; onPart?: (part: unknown[]) => void }): Promise<T> {
  const t = current(script as URL);
  const id = ++sequence;
  tasks++;
  const doing = task.task === 'report-pdf' ? 'drawing the PDF report' : READING;
  return new Promise<T>((resolve, reject) => {
    t.pending.set(id, {
      doing,
      resolve: resolve as (r: unknown) => void,
      reject,
      ...(opts.onPart ? { onPart: opts.onPart } : {}),
    });
    t.worker.ref();
    t.worker.postMessage({ id, ...task }, opts.transfer ?? []);
  });
}

/** `raw`'s buffer when it is all of it (a large body's always is), to hand over instead of copying. */
export function ownBuffer(raw: Uint8Array): ArrayBuffer[] {
  return raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? [raw.buffer as ArrayBuffer] : [];
}
