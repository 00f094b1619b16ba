// Work on a request body that grows with its size (parsing it, reading it, writing it out again) is
// done on a worker thread when the body is large, so one caller's 30 MiB body does not hold every
// other request of the node (its agents' decisions first) behind it. What runs there is in
// off-loop-thread.ts: the LLM gateway's request bodies and whole answers (src/llm/prepare.ts) and
// OTLP trace exports (src/evidence/otlp-body.ts). Small bodies are read the same way on the event
// loop: the hop costs more than they do. The board report's PDF is drawn there too, whatever its size.
//
// One thread per kind of work (a lane, off-loop-lane.ts: LLM calls, OTLP exports, PDF reports), each
// started on its first task and unref'd while it has nothing to do: with one thread for all, a board
// report's PDF held the LLM bodies behind it, and a thread that died drawing it failed them too. Each
// lane's queue is bounded: past it, an LLM request body, an OTLP export or a PDF is answered 503 with
// Retry-After (a whole LLM answer waits its turn anyway: onThreadOr). A thread's heap and each
// task's time are bounded too: past either, that task fails and the next starts on a new thread.
// The bounds are the operator's settings (FULCRUM_WORKER_*, src/config.ts; LANE_DEFAULTS unless set).
// A result may come in parts (a large export's spans): the thread sends the next part when this side
// asks for it, a turn of the event loop after taking in the last (sent all at once, ~18 parts of
// 2,048 spans were taken in as one ~50 ms task).
//
// The threads run the compiled module (dist/http/off-loop-thread.js). Under the test runner, which
// runs the TypeScript sources, that is the build next to them (`npm test` builds first); without a
// build, large bodies are read on the event loop as before, and `offLoop()` says so.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { BusyError } from '../errors.js';
import { type Job, Lane, type LaneLimits } from './off-loop-lane.js';

export type { ThreadReply } from './off-loop-lane.js';

/** Bodies at least this large are read off the event loop. */
export const OFF_LOOP_BYTES = 256 * 1024;

/** What a thread does (off-loop-thread.ts), and what it is given. */
export type Task =
  | { task: 'llm-call'; op: string; raw: Uint8Array }
  | { task: 'llm-answer'; op: string; raw: Uint8Array }
  | { task: 'otlp-traces'; encoding: 'protobuf' | 'json'; raw: Uint8Array }
  /** The board report drawn as a PDF (src/insight/report-pdf.ts): the result is its bytes. */
  | { task: 'report-pdf'; report: unknown }
  /** Tests only (holdThread): the thread busy until `gate[0]` is set, then as `then` says. */
  | { task: 'test-hold'; gate: Int32Array; then: HoldThen };
/** This side asking for a task's next part. */
export type NextPart = { task: 'next'; id: number };
type HoldThen = 'answer' | 'exit' | 'throw' | 'allocate';

/** The kinds of work, one thread each. */
export type Kind = 'llm' | 'otlp' | 'report';
const KIND: Record<Exclude<Task['task'], 'test-hold'>, Kind> = {
  'llm-call': 'llm',
  'llm-answer': 'llm',
  'otlp-traces': 'otlp',
  'report-pdf': 'report',
};

const MiB = 1024 * 1024;
/**
 * Per kind, the bounds a lane has unless the operator sets others (FULCRUM_WORKER_*, src/config.ts;
 * docs/operations.md, "Worker threads"): a 32 MiB body of small JSON messages takes ~300 MB of heap
 * and ~1 s to read; a PDF ~90 ms to ~1 s. 64 MiB of bodies waiting is ~2 s of the thread's time.
 * A PDF task has no input bytes: its queue is bounded by count only.
 */
export const LANE_DEFAULTS: Readonly<Record<Kind, Readonly<LaneLimits>>> = {
  llm: { maxQueued: 64, maxQueuedBytes: 64 * MiB, heapMb: 1024, timeoutMs: 30_000 },
  otlp: { maxQueued: 64, maxQueuedBytes: 64 * MiB, heapMb: 1024, timeoutMs: 30_000 },
  report: { maxQueued: 4, maxQueuedBytes: Number.POSITIVE_INFINITY, heapMb: 512, timeoutMs: 60_000 },
};
/** The Retry-After a task past a full queue is answered with. */
const RETRY_AFTER_SECONDS: Record<Kind, number> = { llm: 1, otlp: 1, report: 5 };
const KINDS = ['llm', 'otlp', 'report'] as const;
const READING = 'reading the body';

function threadScript(): URL | undefined {
  const here = fileURLToPath(import.meta.url);
  const script = here.endsWith('.ts')
    ? new URL('../../dist/http/off-loop-thread.js', import.meta.url)
    : new URL('./off-loop-thread.js', import.meta.url);
  return fs.existsSync(script) ? script : undefined;
}

let script: URL | undefined | null = null;
let lanes: Record<Kind, Lane> | undefined;
let configured: Record<Kind, LaneLimits> = limitsOf(LANE_DEFAULTS);

function limitsOf(from: Readonly<Record<Kind, Readonly<LaneLimits>>>): Record<Kind, LaneLimits> {
  return { llm: { ...from.llm }, otlp: { ...from.otlp }, report: { ...from.report } };
}

function laneOf(kind: Kind): Lane | undefined {
  if (script === null) script = threadScript();
  if (!script) return undefined;
  const url = script;
  lanes ??= {
    llm: new Lane(url, { ...configured.llm }),
    otlp: new Lane(url, { ...configured.otlp }),
    report: new Lane(url, { ...configured.report }),
  };
  return lanes[kind];
}

/**
 * Sets the lanes' bounds (the operator's settings, Config.workerLanes). The lanes are the process's,
 * as its threads are: the app started last sets them (one app a process, outside tests). A lane
 * already running takes them at once: its queue bounds for the next task offered, its time for the
 * next task started, its heap for the next thread.
 */
export function configureOffLoop(limits: Readonly<Record<Kind, Readonly<LaneLimits>>>): void {
  configured = limitsOf(limits);
  // In place: offLoop() hands out the lanes' limits objects (tests change them).
  if (lanes) for (const kind of KINDS) Object.assign(lanes[kind].limits, configured[kind]);
}

/** Whether large bodies are read off the event loop here; how many threads were started and tasks
 *  taken, in all; and each kind's lane, its thread, its counts and limits (tests and bench; limits
 *  may be changed by tests). */
export function offLoop(): {
  available: boolean;
  started: number;
  tasks: number;
  lanes: Record<Kind, { worker: Worker | undefined; busy: boolean; queued: number; counts: Lane['counts']; limits: LaneLimits }>;
} {
  const available = laneOf('llm') !== undefined;
  const each = (kind: Kind) => {
    const lane = laneOf(kind);
    return lane
      ? { ...lane.state(), counts: lane.counts, limits: lane.limits }
      : {
          worker: undefined,
          busy: false,
          queued: 0,
          counts: { started: 0, tasks: 0, full: 0, died: 0, timedOut: 0 },
          limits: configured[kind],
        };
  };
  const all = { llm: each('llm'), otlp: each('otlp'), report: each('report') };
  const sum = (k: 'started' | 'tasks') => all.llm.counts[k] + all.otlp.counts[k] + all.report.counts[k];
  return { available, started: sum('started'), tasks: sum('tasks'), lanes: all };
}

/**
 * Runs `task` on its kind's thread when its body is large and the thread is available, else `inline`
 * here. `transfer`: buffers handed over (unusable here afterwards); everything else is copied.
 */
export function offLoopOr<T>(
  task: Task & { raw: Uint8Array },
  inline: () => T,
  opts: { transfer?: ArrayBuffer[]; onPart?: (part: unknown[]) => void } = {},
): Promise<T> {
  if (task.raw.byteLength < OFF_LOOP_BYTES) return Promise.resolve().then(inline);
  return onThreadOr(task, inline, opts);
}

/**
 * Runs `task` on its kind's thread whenever the thread is available, else `inline` here: also work
 * that holds the event loop for long whatever its input's size (drawing the board report as a PDF:
 * ~90 ms in one piece on a quiet node, several hundred on a busy one). Past a full queue, a
 * BusyError (503 with Retry-After): a large body read here instead would hold every decision of the
 * node for up to a second (found by review). A whole LLM answer waits past the bound instead: its
 * bytes are held already, the call has been made and paid for, and refusing to read it would lose its
 * usage (its cost).
 */
export function onThreadOr<T>(
  task: Task,
  inline: () => T | Promise<T>,
  opts: { transfer?: ArrayBuffer[]; onPart?: (part: unknown[]) => void } = {},
): Promise<T> {
  if (task.task === 'test-hold') throw new Error('holdThread sends test-hold');
  const kind = KIND[task.task];
  const lane = laneOf(kind);
  if (!lane) return Promise.resolve().then(inline);
  const bytes = 'raw' in task ? task.raw.byteLength : 0;
  if (task.task !== 'llm-answer' && lane.full(bytes)) {
    const what =
      kind === 'report' ? 'PDF reports are' : kind === 'llm' ? 'large LLM request bodies are' : 'large OTLP exports are';
    return Promise.reject(
      new BusyError(
        `${what} already waiting on this node (at most ${lane.limits.maxQueued}` +
          `${Number.isFinite(lane.limits.maxQueuedBytes) ? ` or ${Math.round(lane.limits.maxQueuedBytes / MiB)} MiB` : ''}); try again shortly`,
        RETRY_AFTER_SECONDS[kind],
      ),
    );
  }
  const doing = task.task === 'report-pdf' ? 'drawing the PDF report' : READING;
  return send(lane, task, { doing, heapIsCallers: doing === READING, bytes, ...opts });
}

function send<T>(
  lane: Lane,
  task: Task,
  opts: Pick<Job, 'doing' | 'heapIsCallers' | 'bytes'> & { transfer?: ArrayBuffer[]; onPart?: (part: unknown[]) => void },
): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    lane.run({
      message: task,
      transfer: opts.transfer ?? [],
      bytes: opts.bytes,
      doing: opts.doing,
      heapIsCallers: opts.heapIsCallers,
      ...(opts.onPart ? { onPart: opts.onPart } : {}),
      resolve: resolve as (r: unknown) => void,
      reject,
    }),
  );
}

/**
 * A stopping node (after its requests had their grace): every task still waiting or in hand fails
 * (503, try another node) and the threads end, so none holds the process for a task whose caller is
 * gone. A later task starts a thread again.
 */
export async function stopOffLoop(): Promise<void> {
  if (!lanes) return;
  const stopping = new BusyError('the node is stopping; try again', 1);
  await Promise.all(Object.values(lanes).map((lane) => lane.stop(stopping)));
}

/**
 * Tests only: gives `kind`'s thread a task that holds it until `release()`, then answers, exits,
 * throws, or allocates until its heap runs out (`then`). `done` settles as that task does.
 */
export function holdThread(kind: Kind, then: HoldThen = 'answer'): { done: Promise<unknown>; release(): void } {
  const lane = laneOf(kind);
  if (!lane) throw new Error('dist/http/off-loop-thread.js (run npm run build)');
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const done = send(lane, { task: 'test-hold', gate, then }, { doing: 'a test hold', heapIsCallers: false, bytes: 0 });
  // Settled by the test, which may not wait for it.
  done.catch(() => undefined);
  return {
    done,
    release: () => {
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
    },
  };
}

/** `raw`'s buffer when it is all of it (a large body's always is), to hand over instead of copying. */
export function ownBuffer(raw: Uint8Array): ArrayBuffer[] {
  return raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? [raw.buffer as ArrayBuffer] : [];
}
