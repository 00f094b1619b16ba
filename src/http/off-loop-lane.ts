// One worker thread for one kind of work (off-loop.ts has one such lane per kind). Its tasks wait
// here, on the event loop's side, and the thread is given one at a time: a thread that dies (out of
// memory, a crash, a task past its time) fails the task it was doing and no other, and the next
// task starts at once on a new thread. Before, every task went to the thread as it came, and its
// death failed all of them.
import { Worker } from 'node:worker_threads';
import { type ErrorCode, FulcrumError } from '../errors.js';

export interface LaneLimits {
  /** Tasks that may wait while the thread does one. */
  maxQueued: number;
  /** Bytes of input those may hold (a body's time on the thread grows with its size). */
  maxQueuedBytes: number;
  /** The thread's heap: a task that needs more ends the thread, not the process, and fails. */
  heapMb: number;
  /** A task the thread has not finished in this time ends the thread, and fails. */
  timeoutMs: number;
}

/** One task, as the lane holds it until the thread has done it. */
export interface Job {
  message: { task: string } & Record<string, unknown>;
  transfer: ArrayBuffer[];
  /** Its input's size, counted against maxQueuedBytes while it waits. */
  bytes: number;
  /** What it is, in the words its failures use ("reading the body", "drawing the PDF report"). */
  doing: string;
  /** Running out of heap is the caller's doing (a body too large to read): a 413, not a 500. */
  heapIsCallers: boolean;
  onPart?: (part: unknown[]) => void;
  resolve(result: unknown): void;
  reject(err: Error): void;
}

/** What the thread sends back for one task: parts (optional), then the result or an error. */
export type ThreadReply =
  | { id: number; part: unknown[] }
  | { id: number; result: unknown }
  | { id: number; error: { code?: ErrorCode; message: string } };

let sequence = 0;

export class Lane {
  private readonly queue: Job[] = [];
  private queuedBytes = 0;
  private worker: Worker | undefined;
  private current: { worker: Worker; id: number; job: Job; timer: NodeJS.Timeout } | undefined;
  /** Threads started, tasks taken, tasks refused (queue full), tasks failed by a thread's death or time. */
  readonly counts = { started: 0, tasks: 0, full: 0, died: 0, timedOut: 0 };

  constructor(
    private readonly script: URL,
    /** Mutable for tests. */
    public limits: LaneLimits,
  ) {}

  /** Whether a task of `bytes` would have to wait past the bounds (the caller then does not send it;
   *  counted in `counts.full`). */
  full(bytes: number): boolean {
    const full =
      this.current !== undefined &&
      (this.queue.length >= this.limits.maxQueued || this.queuedBytes + bytes > this.limits.maxQueuedBytes);
    if (full) this.counts.full++;
    return full;
  }

  run(job: Job): void {
    this.counts.tasks++;
    if (this.current) {
      this.queue.push(job);
      this.queuedBytes += job.bytes;
    } else this.start(job);
  }

  /** The thread doing a task now, if any, and the tasks waiting (tests, bench). */
  state(): { worker: Worker | undefined; busy: boolean; queued: number } {
    return { worker: this.worker, busy: this.current !== undefined, queued: this.queue.length };
  }

  /** Fails every task, waiting or in hand, with `err`, and ends the thread (a stopping node). */
  async stop(err: Error): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(err);
    this.queuedBytes = 0;
    const c = this.current;
    this.current = undefined;
    if (c) {
      clearTimeout(c.timer);
      c.job.reject(err);
    }
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(job: Job): void {
    const worker = this.worker ?? this.spawn();
    const id = ++sequence;
    const timer = setTimeout(() => this.timedOut(), this.limits.timeoutMs);
    timer.unref();
    this.current = { worker, id, job, timer };
    worker.ref();
    worker.postMessage({ id, ...job.message }, job.transfer);
  }

  /** The task in hand is over (done, failed, or its thread gone): the next one starts. */
  private next(): void {
    const job = this.queue.shift();
    if (job) {
      this.queuedBytes -= job.bytes;
      this.start(job);
    } else this.worker?.unref();
  }

  private spawn(): Worker {
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb } });
    this.counts.started++;
    worker.on('message', (r: ThreadReply) => this.answer(worker, r));
    worker.on('error', (err: Error & { code?: string }) =>
      this.died(worker, (job) =>
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? job.heapIsCallers
            ? new FulcrumError('payload_too_large', `${job.doing} took more than ${this.limits.heapMb} MB`)
            : new Error(`${job.doing} took more than ${this.limits.heapMb} MB`)
          : new Error(`${job.doing} failed: ${err.message}`),
      ),
    );
    worker.on('exit', (code) =>
      this.died(worker, (job) => new Error(`${job.doing} failed (its worker thread exited, code ${code})`)),
    );
    this.worker = worker;
    return worker;
  }

  private answer(worker: Worker, r: ThreadReply): void {
    const c = this.current;
    if (!c || c.worker !== worker || c.id !== r.id) return;
    if ('part' in r) {
      c.job.onPart?.(r.part);
      // The next part is asked for a turn of the event loop after taking in this one.
      setImmediate(() => {
        if (this.current === c) worker.postMessage({ task: 'next', id: c.id });
      });
      return;
    }
    clearTimeout(c.timer);
    this.current = undefined;
    if ('result' in r) c.job.resolve(r.result);
    else if (r.error.code) c.job.reject(new FulcrumError(r.error.code, r.error.message));
    else c.job.reject(new Error(`${c.job.doing} failed: ${r.error.message}`));
    this.next();
  }

  /** `worker` is gone ('error' then 'exit', or 'exit' alone): the task it was doing fails, only that one. */
  private died(worker: Worker, err: (job: Job) => Error): void {
    if (this.worker === worker) this.worker = undefined;
    const c = this.current;
    if (c?.worker !== worker) return;
    clearTimeout(c.timer);
    this.current = undefined;
    this.counts.died++;
    c.job.reject(err(c.job));
    this.next();
  }

  /** The task in hand ran past its time: only ending the thread stops it (the work is synchronous). */
  private timedOut(): void {
    const c = this.current;
    if (!c) return;
    this.current = undefined;
    if (this.worker === c.worker) this.worker = undefined;
    this.counts.timedOut++;
    c.job.reject(new Error(`${c.job.doing} took more than ${this.limits.timeoutMs / 1000} s`));
    void c.worker.terminate();
    this.next();
  }
}
