// Where cedar-wasm runs. Loading it costs a process ~45 MB (compiled code and linear memory), and
// validating a registry's policies grows its linear memory by tens of MB more that WebAssembly never
// gives back. The hot path needs none of it: policies are evaluated as compiled closures. So:
//
// - parsing and validation (on apply, and when the guard rebuilds its snapshot) run in a worker
//   thread that exits after a few idle seconds, taking that memory with it. The calls stay
//   synchronous — the caller blocks on Atomics.wait while the worker answers — so the code around
//   them reads as before, and parse results are cached by policy text, so a snapshot rebuilt for an
//   unchanged policy set (a suspension, a new key) asks the worker nothing;
// - evaluation by cedar-wasm (the compiler's fallback for unsupported constructs, the oracle in
//   tests) loads it into this thread on first need.
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type * as Cedar from '@cedar-policy/cedar-wasm/nodejs';

const require = createRequire(import.meta.url);
const MODULE = require.resolve('@cedar-policy/cedar-wasm/nodejs');

let here: typeof Cedar | undefined;

/** cedar-wasm in this thread, loaded on first use. */
export function cedarHere(): typeof Cedar {
  if (!here) {
    // V8 11.3 (Node 20) aborts the process ("unreachable code" in
    // Deoptimizer::DoComputeBuiltinContinuation) when a function into which TurboFan inlined a
    // cedar-wasm call is lazily deoptimized while the wasm runs; the differential test hit it within a
    // minute of fuzzing. The inlining saves nothing measurable next to a cedar-wasm call. Set before
    // any cedar-wasm call can be optimized.
    v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');
    here = require(MODULE) as typeof Cedar;
  }
  return here;
}

type OffThread = 'checkParsePolicySet' | 'validate' | 'policySetTextToParts' | 'policyToJson' | 'checkParseSchema';

// The worker, as a CommonJS script: it answers {signal, fn, calls} with one result per call, then
// wakes the caller blocked on `signal`.
const WORKER = `
const { workerData } = require('node:worker_threads');
const cedar = require(workerData.module);
workerData.port.on('message', ({ signal, fn, calls }) => {
  let reply;
  try {
    reply = { results: calls.map((args) => cedar[fn](...args)) };
  } catch (err) {
    reply = { error: String((err && err.message) || err) };
  }
  workerData.port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

/** How long the worker stays after its last call; re-creating it costs ~0.1–0.2 s. */
const IDLE_MS = 5_000;
const TIMEOUT_MS = 60_000;

let worker: { thread: Worker; port: MessagePort; idle?: NodeJS.Timeout } | undefined;
let asked = 0;

/** Calls made to the worker in this process (tests check that the caches spare it). */
export function cedarWorkerCalls(): number {
  return asked;
}

function stopWorker(): void {
  const w = worker;
  worker = undefined;
  if (!w) return;
  clearTimeout(w.idle);
  w.port.close();
  void w.thread.terminate();
}

/**
 * For a long-running process (the server and the CLI call this first): WebAssembly is compiled by
 * V8's baseline compiler only. cedar-wasm's module is 4.3 MB; with tier-up, V8 also recompiles its
 * hot functions with TurboFan on background threads, and those compilations allocate ~30 MB of
 * native memory in the threads' malloc arenas, which glibc keeps after the worker has exited
 * (measured: +40 MB of resident memory after one worker's life, +10 MB with the baseline compiler
 * only). A server's calls are short (parse, validate, a fallback evaluation) and run faster without
 * tier-up, whose compile time they never earn back (500 parses: 188 ms vs 287 ms). A process that
 * evaluates cedar-wasm at length (the differential tests use it as the oracle) is better off with
 * tier-up, so this is the entry point's choice, not this module's. V8 reads the flag when a module
 * compiles: call it before anything loads cedar-wasm.
 */
export function compileWasmForShortCalls(): void {
  v8.setFlagsFromString('--liftoff-only');
}

function startWorker() {
  const { port1, port2 } = new MessageChannel();
  const thread = new Worker(WORKER, { eval: true, workerData: { module: MODULE, port: port2 }, transferList: [port2] });
  thread.unref();
  thread.on('error', () => {
    if (worker?.thread === thread) worker = undefined;
  });
  return { thread, port: port1 };
}

/** Runs a cedar-wasm function in the worker, once per argument list, and waits for the answers. */
export function cedarOffThread<F extends OffThread>(
  fn: F,
  calls: Array<Parameters<(typeof Cedar)[F]>>,
): Array<ReturnType<(typeof Cedar)[F]>> {
  if (calls.length === 0) return [];
  asked++;
  worker ??= startWorker();
  const w = worker;
  clearTimeout(w.idle);
  const signal = new Int32Array(new SharedArrayBuffer(4));
  w.port.postMessage({ signal, fn, calls });
  const waited = Atomics.wait(signal, 0, 0, TIMEOUT_MS);
  const reply = receiveMessageOnPort(w.port)?.message as { results?: unknown[]; error?: string } | undefined;
  if (waited === 'timed-out' || !reply) {
    stopWorker();
    throw new Error(`cedar-wasm worker did not answer ${fn} within ${TIMEOUT_MS / 1000} s`);
  }
  w.idle = setTimeout(stopWorker, IDLE_MS);
  w.idle.unref();
  if (reply.error !== undefined) throw new Error(`cedar-wasm ${fn}: ${reply.error}`);
  return reply.results as Array<ReturnType<(typeof Cedar)[F]>>;
}

const PARSED_MAX = 5_000;
const parsed = new Map<string, Cedar.PolicyJson>();
const split = new Map<string, string[]>();

/** A Policy descriptor's Cedar text as its single policies' texts, cached by text. */
export function policySetToParts(text: string): { parts: string[] } | { error: string } {
  const known = split.get(text);
  if (known) return { parts: known };
  const [answer] = cedarOffThread('policySetTextToParts', [[text]]);
  if (!answer || answer.type === 'failure') return { error: answer?.errors.map((e) => e.message).join('; ') ?? 'does not parse' };
  if (split.size >= PARSED_MAX) split.delete(split.keys().next().value as string);
  split.set(text, answer.policies);
  return { parts: answer.policies };
}

/** Each policy text (one policy each) in Cedar's JSON form, or why it does not parse. Cached by text;
 *  the texts not cached yet are parsed in one batch. */
export function policiesToJson(texts: readonly string[]): Array<{ json: Cedar.PolicyJson } | { error: string }> {
  const missing = [...new Set(texts.filter((t) => !parsed.has(t)))];
  const failed = new Map<string, string>();
  const answers = cedarOffThread(
    'policyToJson',
    missing.map((t) => [t]),
  );
  answers.forEach((answer, i) => {
    const text = missing[i] as string;
    if (answer.type === 'failure') {
      failed.set(text, answer.errors.map((e) => e.message).join('; '));
      return;
    }
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
    parsed.set(text, answer.json);
  });
  return texts.map((t) => {
    const json = parsed.get(t);
    return json ? { json } : { error: failed.get(t) ?? 'does not parse' };
  });
}
