// Cedar text checks through cedar-wasm, the reference implementation: bounds first (cedar-limits.ts),
// then parse and strict validation against the generated schema, in the worker, asynchronously.
// Verdicts are cached by schema and policy text, so a registry write that changes neither (a new
// Person, an agent's owner) asks the worker nothing. Problems carry offsets into the policy text.
import { hash } from 'node:crypto';
import type * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { checkCedarBounds } from './cedar-limits.js';
import { type Answer, cedarInWorker, type PolicyCheck } from './cedar-worker.js';
import { recall, remember } from './recent.js';

export interface CedarProblem {
  message: string;
  /** Character offset of the problem in the policy text, when known. */
  offset?: number;
}

/** What one round of checks found, for one schema: the problems of each policy text checked. */
export interface PolicyVerdicts {
  /** The schema's digest (`schemaKey`). */
  schema: string;
  /** Why the schema itself is not valid Cedar (it always should be). */
  schemaProblems: string[];
  byText: ReadonlyMap<string, CedarProblem[]>;
}

const CACHE_MAX = 5_000;
const verdicts = new Map<string, CedarProblem[]>();
const schemas = new Map<string, string[]>();
// What `verdicts` holds: CACHE_MAX, or every text of the largest registry checked at once when that
// is more. A write checks every Policy text in the registry's order; with fewer places than texts,
// the oldest evicted first, 6,000 Policies had 1,000 checked again at every write for nothing.
let verdictsMax = CACHE_MAX;

/** The digest verdicts are filed under; two schemas with one digest validate alike. */
export function schemaKey(schema: cedar.Schema): string {
  return hash('sha256', typeof schema === 'string' ? schema : JSON.stringify(schema), 'base64url');
}

/** Checks each text (one Policy descriptor's Cedar) against `schema`; only texts not checked
 *  against this schema before go to the worker, in one call that reads the schema once. */
export async function checkPolicyTexts(
  texts: readonly string[],
  schema: cedar.Schema,
  key = schemaKey(schema),
): Promise<PolicyVerdicts> {
  let schemaProblems = schemas.get(key);
  const byText = new Map<string, CedarProblem[]>();
  if (schemaProblems && schemaProblems.length > 0) return { schema: key, schemaProblems, byText };
  const missing: string[] = [];
  const distinct = new Set(texts);
  verdictsMax = Math.max(verdictsMax, distinct.size);
  for (const text of distinct) {
    const known = recall(verdicts, `${key} ${text}`);
    const beyond = known ? undefined : checkCedarBounds(text);
    if (known) byText.set(text, known);
    else if (beyond) byText.set(text, [beyond]);
    else missing.push(text);
  }
  let answers: Array<Answer<PolicyCheck>> | undefined;
  if (missing.length > 0) {
    const [together] = await cedarInWorker('checkPolicies', [[missing, schema]]);
    const value = together && 'value' in together ? together.value : null;
    if (value && value.answers.length === missing.length) {
      answers = value.answers.map((a) => ({ value: a }));
      // Validating read the schema: it is valid Cedar (otherwise the call answers null).
      if (value.schemaRead && !schemaProblems) {
        schemaProblems = [];
        remember(schemas, key, schemaProblems, CACHE_MAX);
      }
    }
  }
  if (!schemaProblems) {
    const [answer] = await cedarInWorker('checkParseSchema', [[schema]]);
    schemaProblems = !answer
      ? ['no answer']
      : 'thrown' in answer
        ? [answer.thrown]
        : answer.value.type === 'failure'
          ? answer.value.errors.map((e) => e.message)
          : [];
    remember(schemas, key, schemaProblems, CACHE_MAX);
    if (schemaProblems.length > 0) return { schema: key, schemaProblems, byText };
  }
  // The one call could not answer text by text (or threw): one call a text, so that a text that
  // breaks cedar-wasm fails only itself. One message a text too: each reads the schema again (~0.6 s
  // with 2,000 Tools), and a message's answer is waited for at most a minute, so a hundred texts in
  // one message would time out and fail the write however sound they are.
  if (!answers) {
    answers = [];
    for (const t of missing) answers.push(...(await cedarInWorker('checkPolicy', [[t, schema]])));
  }
  answers.forEach((answer, i) => {
    const text = missing[i] as string;
    const problems = toProblems(answer, text);
    byText.set(text, problems);
    remember(verdicts, `${key} ${text}`, problems, verdictsMax);
  });
  return { schema: key, schemaProblems, byText };
}

/** A worker's check of one text as problems, offsets in the text's characters. */
export function toProblems(answer: Answer<PolicyCheck>, text: string): CedarProblem[] {
  // cedar-wasm threw (it should not: the text is within bounds): say so, against this policy.
  if ('thrown' in answer) return [{ message: `Cedar: this policy could not be checked (${answer.thrown})` }];
  const { parsed, validated } = answer.value;
  const problem = (e: cedar.DetailedError) => toProblem(e, text);
  if (parsed.type === 'failure') return parsed.errors.map(problem);
  if (!validated) return [];
  if (validated.type === 'failure') return validated.errors.map(problem);
  return validated.validationErrors.map((e) => problem(e.error));
}

function toProblem(e: cedar.DetailedError, text: string): CedarProblem {
  const related = (e.related ?? []).map((r) => r.message).filter(Boolean);
  const label = e.sourceLocations?.[0]?.label;
  const parts = [e.message.replace(/^for policy `policy\d+`, /, ''), label, ...related];
  const message = `Cedar: ${parts.filter(Boolean).join('; ')}${e.help ? ` (${e.help})` : ''}`;
  const bytes = e.sourceLocations?.[0]?.start ?? e.related?.[0]?.sourceLocations?.[0]?.start;
  return bytes === undefined ? { message } : { message, offset: charOffset(text, bytes) };
}

/** cedar-wasm's offsets count UTF-8 bytes; a policy's text is a JavaScript string (UTF-16). */
export function charOffset(text: string, bytes: number): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range
  if (/^[\x00-\x7f]*$/.test(text)) return bytes;
  return Buffer.from(text, 'utf8').subarray(0, Math.max(0, bytes)).toString('utf8').length;
}
