// Cedar text checks through cedar-wasm, the reference implementation: bounds first (cedar-limits.ts),
// then parse and strict validation against the generated schema, in the worker, asynchronously.
// Verdicts are cached by schema and policy text, so a registry write that changes neither (a new
// Person, an agent's owner) asks the worker nothing. Problems carry offsets into the policy text.
import { hash } from 'node:crypto';
import type * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { checkCedarBounds } from './cedar-limits.js';
import { type Answer, cedarInWorker, type WorkerOps } from './cedar-worker.js';

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

/** The digest verdicts are filed under; two schemas with one digest validate alike. */
export function schemaKey(schema: cedar.Schema): string {
  return hash('sha256', typeof schema === 'string' ? schema : JSON.stringify(schema), 'base64url');
}

/** Checks each text (one Policy descriptor's Cedar) against `schema`; only texts not checked
 *  against this schema before go to the worker, in one batch. */
export async function checkPolicyTexts(texts: readonly string[], schema: cedar.Schema): Promise<PolicyVerdicts> {
  const key = schemaKey(schema);
  let schemaProblems = schemas.get(key);
  if (!schemaProblems) {
    const [answer] = await cedarInWorker('checkParseSchema', [[schema]]);
    schemaProblems = !answer
      ? ['no answer']
      : 'thrown' in answer
        ? [answer.thrown]
        : answer.value.type === 'failure'
          ? answer.value.errors.map((e) => e.message)
          : [];
    remember(schemas, key, schemaProblems);
  }
  const byText = new Map<string, CedarProblem[]>();
  if (schemaProblems.length > 0) return { schema: key, schemaProblems, byText };
  const missing: string[] = [];
  for (const text of new Set(texts)) {
    const known = verdicts.get(`${key} ${text}`);
    const beyond = known ? undefined : checkCedarBounds(text);
    if (known) byText.set(text, known);
    else if (beyond) byText.set(text, [beyond]);
    else missing.push(text);
  }
  const answers = await cedarInWorker(
    'checkPolicy',
    missing.map((t) => [t, schema]),
  );
  answers.forEach((answer, i) => {
    const text = missing[i] as string;
    const problems = toProblems(answer);
    byText.set(text, problems);
    remember(verdicts, `${key} ${text}`, problems);
  });
  return { schema: key, schemaProblems, byText };
}

function toProblems(answer: Answer<ReturnType<WorkerOps['checkPolicy']>>): CedarProblem[] {
  // cedar-wasm threw (it should not: the text is within bounds): say so, against this policy.
  if ('thrown' in answer) return [{ message: `Cedar: this policy could not be checked (${answer.thrown})` }];
  const { parsed, validated } = answer.value;
  if (parsed.type === 'failure') return parsed.errors.map(toProblem);
  if (!validated) return [];
  if (validated.type === 'failure') return validated.errors.map(toProblem);
  return validated.validationErrors.map((e) => toProblem(e.error));
}

function toProblem(e: cedar.DetailedError): CedarProblem {
  const related = (e.related ?? []).map((r) => r.message).filter(Boolean);
  const label = e.sourceLocations?.[0]?.label;
  const parts = [e.message.replace(/^for policy `policy\d+`, /, ''), label, ...related];
  const message = `Cedar: ${parts.filter(Boolean).join('; ')}${e.help ? ` (${e.help})` : ''}`;
  const offset = e.sourceLocations?.[0]?.start ?? e.related?.[0]?.sourceLocations?.[0]?.start;
  return offset === undefined ? { message } : { message, offset };
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}
