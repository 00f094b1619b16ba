// Where cedar-wasm runs. Loading it costs a process ~45 MB (compiled code and linear memory), and
// validating a registry's policies grows its linear memory by tens of MB more that WebAssembly never
// gives back. The hot path needs none of it: policies are evaluated as compiled closures. So:
//
// - parsing and validation (on apply, and when the guard rebuilds its snapshot) run in a worker
//   thread that exits after a few idle seconds, taking that memory with it (cedar-worker.ts).
//   Registry writes ask it asynchronously; the guard's snapshot builder is synchronous, so it warms
//   the parse caches below asynchronously first and then rarely waits. Parse results are cached by
//   policy text, so a snapshot rebuilt for an unchanged policy set (a suspension, a new key) asks the
//   worker nothing. Text beyond the bounds of cedar-limits.ts never reaches it;
// - evaluation by cedar-wasm (the compiler's fallback for unsupported constructs, the oracle in
//   tests) loads it into this thread on first need.
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import type * as Cedar from '@cedar-policy/cedar-wasm/nodejs';
import { checkCedarBounds } from './cedar-limits.js';
import { type Answer, cedarInWorker, cedarOffThread } from './cedar-worker.js';
import { recall, remember } from './recent.js';

export { cedarWorkerCalls } from './cedar-worker.js';

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

const PARSED_MAX = 5_000;
const parsed = new Map<string, Cedar.PolicyJson>();
const split = new Map<string, string[]>();
// What `split` holds: PARSED_MAX texts, or every text of the largest registry asked about at once
// (policySetsToPartsAsync) when that is more. A registry's texts are read in one order at every
// snapshot build; with fewer places than texts, the oldest evicted first, each was evicted just
// before it was read again, and 6,000 Policies cost 6,000 synchronous calls to the worker a build.
let splitMax = PARSED_MAX;

type Parts = { parts: string[] } | { error: string };
type Parsed = { json: Cedar.PolicyJson } | { error: string };

/** A Policy descriptor's Cedar text as its single policies' texts, cached by text. */
export function policySetToParts(text: string): Parts {
  const known = knownParts(text);
  if (known) return known;
  const [answer] = cedarOffThread('policySetTextToParts', [[text]]);
  return learnParts(text, answer);
}

/** Each text's single policies, without blocking this thread: a registry's Policy texts, all of
 *  which the cache then keeps however many there are. */
export function policySetsToPartsAsync(texts: readonly string[]): Promise<Parts[]> {
  splitMax = Math.max(splitMax, new Set(texts).size);
  return Promise.all(texts.map((t) => policySetToPartsAsync(t)));
}

/** The same, without blocking this thread. */
export async function policySetToPartsAsync(text: string): Promise<Parts> {
  const known = knownParts(text);
  if (known) return known;
  const [answer] = await cedarInWorker('policySetTextToParts', [[text]]);
  return learnParts(text, answer);
}

function knownParts(text: string): Parts | undefined {
  const known = recall(split, text);
  if (known) return { parts: known };
  const beyond = checkCedarBounds(text);
  return beyond ? { error: beyond.message } : undefined;
}

function learnParts(text: string, answer: Answer<Cedar.PolicySetTextToPartsAnswer> | undefined): Parts {
  if (!answer) return { error: 'does not parse' };
  if ('thrown' in answer) return { error: `cedar-wasm could not read it: ${answer.thrown}` };
  if (answer.value.type === 'failure') return { error: answer.value.errors.map((e) => e.message).join('; ') };
  remember(split, text, answer.value.policies, splitMax);
  return { parts: answer.value.policies };
}

/** Each policy text (one policy each) in Cedar's JSON form, or why it does not parse. Cached by text;
 *  the texts not cached yet are parsed in one batch. */
export function policiesToJson(texts: readonly string[]): Parsed[] {
  const batch = unparsed(texts);
  learnJson(
    batch,
    cedarOffThread(
      'policyToJson',
      batch.missing.map((t) => [t]),
    ),
  );
  return texts.map((t) => jsonOf(t, batch));
}

/** The same, without blocking this thread. */
export async function policiesToJsonAsync(texts: readonly string[]): Promise<Parsed[]> {
  const batch = unparsed(texts);
  learnJson(
    batch,
    await cedarInWorker(
      'policyToJson',
      batch.missing.map((t) => [t]),
    ),
  );
  return texts.map((t) => jsonOf(t, batch));
}

/**
 * One batch of texts: what it found cached, what it must parse, and what failed. Its answers are
 * read from here, not from the cache, and the cache keeps every text of the batch: a batch of more
 * texts than PARSED_MAX used to evict its own first answers while learning the last ones, and
 * reported them as "does not parse" (a registry of 2,600 data domains, 5,200 built-in rules, could
 * not be applied, each rule "invalid Cedar").
 */
interface Batch {
  texts: ReadonlySet<string>;
  found: Map<string, Cedar.PolicyJson>;
  missing: string[];
  failed: Map<string, string>;
}

function unparsed(texts: readonly string[]): Batch {
  const batch: Batch = { texts: new Set(texts), found: new Map(), missing: [], failed: new Map() };
  for (const t of batch.texts) {
    const json = recall(parsed, t);
    if (json) {
      batch.found.set(t, json);
      continue;
    }
    const beyond = checkCedarBounds(t);
    if (beyond) batch.failed.set(t, beyond.message);
    else batch.missing.push(t);
  }
  return batch;
}

function learnJson(batch: Batch, answers: Array<Answer<Cedar.PolicyToJsonAnswer>>): void {
  answers.forEach((answer, i) => {
    const text = batch.missing[i] as string;
    if ('thrown' in answer) batch.failed.set(text, `cedar-wasm could not read it: ${answer.thrown}`);
    else if (answer.value.type === 'failure') batch.failed.set(text, answer.value.errors.map((e) => e.message).join('; '));
    else {
      batch.found.set(text, answer.value.json);
      // The oldest entry goes unless it is this batch's (then every entry is): a registry whose
      // policies outnumber PARSED_MAX keeps them all, rather than parse some again at every rebuild.
      const oldest = parsed.keys().next().value;
      if (parsed.size >= PARSED_MAX && oldest !== undefined && !batch.texts.has(oldest)) parsed.delete(oldest);
      parsed.set(text, answer.value.json);
    }
  });
}

function jsonOf(text: string, batch: Batch): Parsed {
  const json = batch.found.get(text);
  return json ? { json } : { error: batch.failed.get(text) ?? 'does not parse' };
}
