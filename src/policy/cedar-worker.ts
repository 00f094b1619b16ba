// The worker thread cedar-wasm's parser and validator run in (cedar-runtime.ts says why), asked
// asynchronously (registry writes: the event loop stays free) or synchronously (the guard's snapshot
// builder, blocking on Atomics.wait). A call that throws inside cedar-wasm may have corrupted the
// instance (a stack overrun writes over its linear memory, and every later call then fails with
// "memory access out of bounds"), so the worker stops answering after one, and is replaced at once;
// the calls after it go to the new worker. A worker that dies (killed, out of memory) is replaced too,
// and the calls it had not answered are asked once more.
import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type * as Cedar from '@cedar-policy/cedar-wasm/nodejs';

const require = createRequire(import.meta.url);
const MODULE = require.resolve('@cedar-policy/cedar-wasm/nodejs');

/** What the worker runs: cedar-wasm's functions, plus `checkPolicy` (parse, then strict validation,
 *  in one round trip). */
export interface WorkerOps {
  checkParsePolicySet: typeof Cedar.checkParsePolicySet;
  validate: typeof Cedar.validate;
  policySetTextToParts: typeof Cedar.policySetTextToParts;
  policyToJson: typeof Cedar.policyToJson;
  checkParseSchema: typeof Cedar.checkParseSchema;
  checkPolicy: (text: string, schema: Cedar.Schema) => PolicyCheck;
  /** checkPolicy for each text, cedar-wasm reading the schema once (`schemaRead`: it did, so the
   *  schema is valid); null if the schema is not valid or the answer could not be split back by text. */
  checkPolicies: (texts: string[], schema: Cedar.Schema) => { answers: PolicyCheck[]; schemaRead: boolean } | null;
  /**
   * isAuthorizedPartial of a call sent as JSON text (its policies and entities may nest deeper than a
   * structured clone deserializes: see the replies, below; JSON.parse is not recursive), answered with
   * its decision (null while residuals remain undecided) and how many policies erred, not the residuals.
   */
  partialDecision: (call: string) => PartialDecision;
  /** Tests: answer nothing more until `gate[0]` is set (holdCedarWorker). */
  hold: (gate: Int32Array) => true;
}
type Op = keyof WorkerOps;
export type PartialDecision = { decision: Cedar.Decision | null; errored: number } | { failure: string };
/** A policy text parsed, then (if it parsed) validated strictly. Offsets are UTF-8 bytes into the text. */
export type PolicyCheck = { parsed: Cedar.CheckParseAnswer; validated?: Cedar.ValidationAnswer };

/** One call's outcome: its value, or the message of what cedar-wasm threw. */
export type Answer<T> = { value: T } | { thrown: string };
type Answers<F extends Op> = Array<Answer<ReturnType<WorkerOps[F]>>>;
interface Reply {
  results: Array<Answer<unknown>>;
  /** A call threw: this worker answers nothing more. */
  broken?: true;
}

// The worker, as a CommonJS script. It answers {fn, calls} with one result per call, up to the
// first that throws; from then on it answers nothing ({results: [], broken}). Replies travel as JSON
// text: a policy's JSON form is as deep as its operator chain, and a structured clone of ~1,000
// levels fails to deserialize on the receiving side (the message is dropped, the caller would wait
// forever), while JSON.parse is not recursive.
const WORKER = `
const { receiveMessageOnPort, workerData } = require('node:worker_threads');
const cedar = require(workerData.module);
const ops = {
  checkPolicy(text, schema) {
    const parsed = cedar.checkParsePolicySet({ staticPolicies: text });
    if (parsed.type === 'failure') return { parsed };
    const validated = cedar.validate({ schema, policies: { staticPolicies: text }, validationSettings: { mode: 'strict' } });
    return { parsed, validated };
  },
  // Reading the schema is most of a validation's cost, and grows with it: with 2,000 Tools ~0.6 s a
  // call here, against milliseconds for the policy. So each text is parsed alone (no schema), and
  // those that parse are validated in one call; each error goes back to its text by policy id
  // (cedar-wasm numbers a set's policies policy0, policy1, … in order) with its offsets made
  // relative to that text and the ids it names renumbered as in that text alone, so that the
  // answer is the one checkPolicy gives. A text that cannot be split into its policies is checked
  // alone; anything else unexpected: null, and the caller checks one text at a time.
  checkPolicies(texts, schema) {
    const answers = texts.map((text) => ({ parsed: cedar.checkParsePolicySet({ staticPolicies: text }) }));
    const owner = []; // the text each policy of the joined set came from
    const first = []; // the id number of each text's first policy in the joined set
    const start = []; // where each text begins in the joined set, in bytes (cedar-wasm's offsets)
    const joined = [];
    let bytes = 0;
    for (const [i, text] of texts.entries()) {
      if (answers[i].parsed.type === 'failure') continue;
      const parts = cedar.policySetTextToParts(text);
      if (parts.type !== 'success') {
        answers[i] = ops.checkPolicy(text, schema);
        continue;
      }
      first[i] = owner.length;
      for (let k = 0; k < parts.policies.length + parts.policy_templates.length; k++) owner.push(i);
      start[i] = bytes;
      joined.push(text);
      bytes += Buffer.byteLength(text) + 1;
      answers[i].validated = { type: 'success', validationErrors: [], validationWarnings: [], otherWarnings: [] };
    }
    if (joined.length === 0) return { answers, schemaRead: false };
    const all = cedar.validate({ schema, policies: { staticPolicies: joined.join('\\n') }, validationSettings: { mode: 'strict' } });
    if (all.type !== 'success') return null;
    for (const e of all.validationErrors) {
      const n = /^policy(\\d+)$/.exec(e.policyId);
      const i = n ? owner[Number(n[1])] : undefined;
      if (i === undefined) return null;
      const shift = (l) => ({ ...l, start: l.start - start[i], end: l.end - start[i] });
      const within = (locations) => (locations || []).map(shift);
      const renumber = (m) => (typeof m === 'string' ? m.replace(/\`policy(\\d+)\`/g, (_, k) => '\`policy' + (Number(k) - first[i]) + '\`') : m);
      const error = {
        ...e.error,
        message: renumber(e.error.message),
        help: renumber(e.error.help),
        sourceLocations: within(e.error.sourceLocations),
        related: (e.error.related || []).map((r) => ({
          ...r,
          message: renumber(r.message),
          help: renumber(r.help),
          sourceLocations: within(r.sourceLocations),
        })),
      };
      answers[i].validated.validationErrors.push({ ...e, policyId: 'policy' + (Number(n[1]) - first[i]), error });
    }
    return { answers, schemaRead: true };
  },
  partialDecision(call) {
    const answer = cedar.isAuthorizedPartial(JSON.parse(call));
    if (answer.type !== 'residuals') return { failure: answer.errors.map((e) => e.message).join('; ') };
    return { decision: answer.response.decision, errored: answer.response.errored.length };
  },
  hold(gate) {
    Atomics.wait(gate, 0, 0);
    return true;
  },
};
let broken = false;
function run({ fn, calls }) {
  const results = [];
  if (broken) return '{"results":[],"broken":true}';
  const f = ops[fn] || cedar[fn];
  for (const args of calls) {
    try {
      results.push('{"value":' + (JSON.stringify(f(...args)) ?? 'null') + '}');
    } catch (err) {
      broken = true;
      results.push(JSON.stringify({ thrown: String((err && err.message) || err) }));
      break;
    }
  }
  return '{"results":[' + results.join(',') + ']' + (broken ? ',"broken":true}' : '}');
}
const { signal } = workerData;
function answerSync({ fn, calls }) {
  workerData.sync.postMessage(run({ fn, calls }));
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
workerData.sync.on('message', answerSync);
// Wake a synchronous caller that would otherwise wait for an answer that will not come.
process.on('exit', () => {
  Atomics.store(signal, 0, 2);
  Atomics.notify(signal, 0);
});
// A synchronous caller blocks its thread (the event loop): it is answered before each asynchronous
// call, not after every one queued ahead of it (a port's queued messages are all handled before
// another port's: 300 partial evaluations of probes held the event loop ~1 s).
workerData.async.on('message', ({ id, fn, calls }) => {
  for (let m = receiveMessageOnPort(workerData.sync); m; m = receiveMessageOnPort(workerData.sync)) answerSync(m.message);
  workerData.async.postMessage({ id, reply: run({ fn, calls }) });
});
`;

/** How long the worker stays after its last call; re-creating it costs ~0.1–0.2 s. */
const IDLE_MS = 5_000;
const TIMEOUT_MS = 60_000;
/** A synchronous caller blocks its thread: it gives up sooner (the guard parses, it does not validate). */
const SYNC_TIMEOUT_MS = 15_000;

interface Pending {
  fn: Op;
  resolve(reply: Reply): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

interface Live {
  thread: Worker;
  sync: MessagePort;
  async: MessagePort;
  signal: Int32Array;
  pending: Map<number, Pending>;
  idle?: NodeJS.Timeout;
}

/** The worker went away before answering: ask again (once). */
class WorkerGone extends Error {}

let live: Live | undefined;
let sequence = 0;
let asked = 0;
let started = 0;

/** Calls made to the worker in this process (tests check that the caches spare it). */
export function cedarWorkerCalls(): number {
  return asked;
}

/** Workers started in this process, the one running now (tests break it on purpose) and how many
 *  asynchronous calls it has not answered yet. */
export function cedarWorkers(): { started: number; current: Worker | undefined; pending: Op[] } {
  return { started, current: live?.thread, pending: [...(live?.pending.values() ?? [])].map((p) => p.fn) };
}

function start(): Live {
  const sync = new MessageChannel();
  const async = new MessageChannel();
  // Synchronous calls wait on it: 1 once answered, 2 if the worker exits.
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const thread = new Worker(WORKER, {
    eval: true,
    workerData: { module: MODULE, sync: sync.port2, async: async.port2, signal },
    transferList: [sync.port2, async.port2],
    // cedar-wasm's recursion runs on two stacks: its own 1 MB inside WebAssembly memory (bounded by
    // cedar-limits.ts) and this thread's, where V8 may throw first (measured: a chain of 841
    // operators with the default 4 MB once cedar-wasm's code had tiered up). With 16 MB, the first
    // is always the limit.
    resourceLimits: { stackSizeMb: 16 },
  });
  thread.unref();
  started++;
  const w: Live = { thread, sync: sync.port1, async: async.port1, signal, pending: new Map() };
  w.async.on('message', ({ id, reply }: { id: number; reply: string }) => {
    const p = w.pending.get(id);
    if (!p) return;
    w.pending.delete(id);
    clearTimeout(p.timer);
    if (w.pending.size === 0) settle(w);
    p.resolve(JSON.parse(reply) as Reply);
  });
  // Nothing it sends should fail to arrive; if something does, its caller must not wait for it.
  w.async.on('messageerror', (err) => retire(w, `a cedar-wasm worker's answer could not be read: ${err.message}`));
  w.async.unref();
  thread.on('error', (err) => gone(w, `cedar-wasm worker failed: ${err.message}`));
  thread.on('exit', (code) => gone(w, `cedar-wasm worker exited (code ${code})`));
  return w;
}

/** Idle: let the process exit without it, and stop it after IDLE_MS. */
function settle(w: Live): void {
  w.async.unref();
  clearTimeout(w.idle);
  w.idle = setTimeout(() => retire(w), IDLE_MS);
  w.idle.unref();
}

function gone(w: Live, why: string): void {
  if (live === w) live = undefined;
  clearTimeout(w.idle);
  for (const p of w.pending.values()) {
    clearTimeout(p.timer);
    p.reject(new WorkerGone(why));
  }
  w.pending.clear();
}

function retire(w: Live, why = 'cedar-wasm worker stopped'): void {
  gone(w, why);
  w.sync.close();
  w.async.close();
  void w.thread.terminate();
}

/** After a call threw in it: drop the worker and start its replacement now. */
function replace(w: Live): void {
  retire(w);
  live = start();
  settle(live);
}

function current(): Live {
  live ??= start();
  clearTimeout(live.idle);
  return live;
}

function askAsync(w: Live, fn: Op, calls: unknown[][]): Promise<Reply> {
  const id = ++sequence;
  return new Promise<Reply>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not asked again (it would hang the next worker too); the calls queued behind it are.
      w.pending.delete(id);
      reject(new Error(`cedar-wasm worker did not answer ${fn} within ${TIMEOUT_MS / 1000} s`));
      retire(w);
    }, TIMEOUT_MS);
    timer.unref();
    w.pending.set(id, { fn, resolve, reject, timer });
    w.async.ref();
    w.async.postMessage({ id, fn, calls });
  });
}

function askSync(w: Live, fn: Op, calls: unknown[][]): Reply {
  // 2: it exited, and the 'exit' event has not reached this thread yet.
  if (Atomics.compareExchange(w.signal, 0, 1, 0) === 2) {
    retire(w);
    throw new WorkerGone(`cedar-wasm worker went away before ${fn}`);
  }
  w.sync.postMessage({ fn, calls });
  const waited = Atomics.wait(w.signal, 0, 0, SYNC_TIMEOUT_MS);
  const reply = receiveMessageOnPort(w.sync)?.message as string | undefined;
  if (reply) {
    if (w.pending.size === 0) settle(w);
    return JSON.parse(reply) as Reply;
  }
  retire(w);
  if (waited === 'timed-out') throw new Error(`cedar-wasm worker did not answer ${fn} within ${SYNC_TIMEOUT_MS / 1000} s`);
  throw new WorkerGone(`cedar-wasm worker went away during ${fn}`);
}

/** Runs a cedar-wasm function in the worker once per argument list; the event loop stays free. */
export async function cedarInWorker<F extends Op>(fn: F, calls: Array<Parameters<WorkerOps[F]>>): Promise<Answers<F>> {
  if (calls.length === 0) return [];
  asked++;
  const out: Array<Answer<unknown>> = [];
  let retried = false;
  while (out.length < calls.length) {
    const w = current();
    let reply: Reply;
    try {
      reply = await askAsync(w, fn, calls.slice(out.length));
    } catch (err) {
      if (!(err instanceof WorkerGone) || retried) throw err;
      retried = true;
      continue;
    }
    out.push(...reply.results);
    if (reply.broken && live === w) replace(w);
  }
  return out as Answers<F>;
}

/** The same, blocking this thread until the worker answers (for synchronous callers). */
export function cedarOffThread<F extends Op>(fn: F, calls: Array<Parameters<WorkerOps[F]>>): Answers<F> {
  if (calls.length === 0) return [];
  asked++;
  const out: Array<Answer<unknown>> = [];
  let retried = false;
  while (out.length < calls.length) {
    const w = current();
    let reply: Reply;
    try {
      reply = askSync(w, fn, calls.slice(out.length));
    } catch (err) {
      if (!(err instanceof WorkerGone) || retried) throw err;
      retried = true;
      continue;
    }
    out.push(...reply.results);
    if (reply.broken && live === w) replace(w);
  }
  return out as Answers<F>;
}

/** Tests: the worker finishes what it was asked, then answers nothing more until `release()`. */
export function holdCedarWorker(): { release(): void; released: Promise<unknown> } {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  // Not asked again if the worker dies: its replacement is not held.
  const released = askAsync(current(), 'hold', [[gate]]);
  return {
    release() {
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
    },
    released,
  };
}
