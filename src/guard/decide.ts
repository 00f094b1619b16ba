// The decision itself, a pure function of the snapshot and the request: Cedar's answer mapped to
// allow | deny | approval_required. Precedence: deny > approval_required > allow; a forbid
// annotated @approval means "needs a human"; monitor-mode policies only say what would have happened.
import { hash } from 'node:crypto';
import type { CedarValueJson } from '@cedar-policy/cedar-wasm/nodejs';
import { ValidationError } from '../errors.js';
import { argumentsToCedar } from '../policy/entities.js';
import type { CedarRequest, EvalResult } from '../policy/types.js';
import { canonicalJson } from '../registry/model.js';
import type { CompiledSet, GuardSnapshot } from './snapshot.js';

export type DecisionRequest =
  | {
      action: 'tool.call';
      tool: string;
      arguments?: Record<string, unknown>;
      dataDomains?: string[];
      taskId?: string;
      approvalId?: string;
    }
  | { action: 'model.call'; model: string; dataDomains?: string[]; taskId?: string };

export type Verdict = 'allow' | 'deny' | 'approval_required';

export interface Reason {
  policy: string;
  effect: 'permit' | 'forbid' | 'approval';
  message?: string;
}

export interface Outcome {
  decision: Verdict;
  reasons: Reason[];
  /** Monitor-mode policies that would have denied or required approval. */
  monitor: Reason[];
  target: string;
  argumentsHash: string | null;
  /** The data domains the call was decided on, recorded and hashed with (`domainsOf`). */
  dataDomains: string[];
}

/** Binds an approval to the exact call: the arguments and data domains, canonically serialised. */
export function hashArguments(args: unknown, dataDomains: readonly string[]): string {
  return hash('sha256', canonicalJson({ arguments: args ?? {}, dataDomains: [...dataDomains].sort() }));
}

/**
 * The data domains a call touches: those it names, then those its Tool declares (`spec.dataDomains`)
 * that it did not name. Policies on data domains are written on what a call touches, so a tool that
 * reads customer records is decided on them whether or not its caller says so: before, only the
 * caller's list reached Cedar, and leaving it out passed every such policy.
 */
export function domainsOf(s: GuardSnapshot, req: DecisionRequest): string[] {
  const named = req.dataDomains ?? [];
  const declared = req.action === 'tool.call' ? (s.registry.get('Tool', req.tool)?.spec.dataDomains ?? []) : [];
  const added = declared.filter((d) => !named.includes(d));
  return added.length === 0 ? named : [...named, ...added];
}

/** Throws ValidationError for requests that name what does not exist (a 4xx, not a decision). */
export function checkRequest(s: GuardSnapshot, req: DecisionRequest): void {
  const problems = [];
  if (req.action === 'tool.call' && !s.registry.has('Tool', req.tool))
    problems.push({ path: '/tool', message: `no Tool named "${req.tool}"` });
  if (req.action === 'model.call' && !s.registry.has('Model', req.model))
    problems.push({ path: '/model', message: `no Model named "${req.model}"` });
  (req.dataDomains ?? []).forEach((d, i) => {
    if (!s.registry.has('DataDomain', d)) problems.push({ path: `/dataDomains/${i}`, message: `no DataDomain named "${d}"` });
  });
  // What is written to the audit row as it came: an id of ours, a task id without control characters
  // (PostgreSQL refuses a NUL in text, and the group commit it would fail is every agent's).
  if (req.action === 'tool.call' && req.approvalId !== undefined && !APPROVAL_ID.test(req.approvalId))
    problems.push({ path: '/approvalId', message: 'not an approval id (apr_ and up to 100 letters, digits, _ or -)' });
  if (req.taskId !== undefined && (req.taskId.length > 200 || CONTROL.test(req.taskId)))
    problems.push({ path: '/taskId', message: 'a task id is at most 200 characters, none of them control characters' });
  if (problems.length > 0) throw new ValidationError(problems.map((p) => p.message).join('; '), problems);
}

/** Approval ids as Fulcrum makes them (`newId('apr_')`). */
export const APPROVAL_ID = /^apr_[A-Za-z0-9_-]{1,100}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/;

export function decide(s: GuardSnapshot, agent: string, req: DecisionRequest): Outcome {
  const dataDomains = domainsOf(s, req);
  const domains = dataDomains.map((d) => ({ __entity: { type: 'DataDomain', id: d } }));
  if (req.action === 'model.call') {
    const cedar: CedarRequest = {
      principal: { type: 'Agent', id: agent },
      action: { type: 'Action', id: 'model.call' },
      resource: { type: 'Model', id: req.model },
      context: { dataDomains: domains },
    };
    return { ...judge(s, cedar), target: req.model, argumentsHash: null, dataDomains };
  }
  const args = req.arguments ?? {};
  const argumentsHash = hashArguments(args, dataDomains);
  const validate = s.validateArguments(req.tool);
  if (!validate(args)) {
    const message = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    return refusal(
      req.tool,
      'invalid-arguments',
      `arguments do not match ${req.tool}'s schema: ${message}`,
      argumentsHash,
      dataDomains,
    );
  }
  const schema = s.registry.get('Tool', req.tool)?.spec.arguments;
  const problems: string[] = [];
  const converted = argumentsToCedar(args, schema, problems);
  // What the schema types was checked above; elsewhere (a Tool with `arguments: { type: object }`), a
  // number past ±(2^53 − 1) may be an integer JSON.parse rounded: 12345678901234567891 (an account
  // number) read as 12345678901234567000 and passed on as that. Refused, as a typed integer is.
  if (problems.length === 0) roundedNumbers(args, '', problems);
  if (problems.length > 0)
    return refusal(req.tool, 'invalid-arguments', `arguments of ${req.tool}: ${problems.join('; ')}`, argumentsHash, dataDomains);
  const cedar: CedarRequest = {
    principal: { type: 'Agent', id: agent },
    action: { type: 'Action', id: req.tool },
    resource: { type: 'Tool', id: req.tool },
    context: { arguments: (converted ?? {}) as CedarValueJson, dataDomains: domains },
  };
  return { ...judge(s, cedar), target: req.tool, argumentsHash, dataDomains };
}

/**
 * Numbers in `value` past ±(2^53 − 1), each as a problem (at most five): JSON reads every such literal
 * as the nearest double, so the value decided on and passed on may not be the one the agent sent.
 */
function roundedNumbers(value: unknown, at: string, problems: string[]): void {
  if (problems.length >= 5) return;
  if (typeof value === 'number') {
    if (Math.abs(value) > Number.MAX_SAFE_INTEGER)
      problems.push(`${at || '/'} ${value} is past ±(2^53 − 1), where JSON numbers lose digits: send it as a string`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
  for (const [k, v] of entries) roundedNumbers(v, `${at}/${k}`, problems);
}

/** A refusal by one of the guard's built-in rules (`invalid-arguments`, `registry-changed`, …), not by a policy. */
export function refusal(
  target: string,
  policy: string,
  message: string,
  argumentsHash: string | null = null,
  dataDomains: string[] = [],
): Outcome {
  return { decision: 'deny', reasons: [{ policy, effect: 'forbid', message }], monitor: [], target, argumentsHash, dataDomains };
}

function judge(s: GuardSnapshot, cedar: CedarRequest): { decision: Verdict; reasons: Reason[]; monitor: Reason[] } {
  const monitor = s.monitor ? forbids(s, run(s.monitor, cedar)) : [];
  const enforced = run(s.enforce, cedar);
  // A forbid that errors is ignored by Cedar; the guard counts it as applying (fail closed).
  const denied = forbids(s, enforced);
  if (denied.length > 0) return { decision: 'deny', reasons: denied, monitor };
  if (enforced.decision === 'deny') {
    const what = cedar.action.id === 'model.call' ? `call model ${cedar.resource.id}` : `call ${cedar.action.id}`;
    return {
      decision: 'deny',
      reasons: [{ policy: 'default-deny', effect: 'forbid', message: `no policy permits ${cedar.principal.id} to ${what}` }],
      monitor,
    };
  }
  // Permitted and not denied: a human is needed only if an @approval forbid applies.
  const needs = s.approval ? forbids(s, run(s.approval, cedar)) : [];
  if (needs.length > 0) return { decision: 'approval_required', reasons: needs, monitor };
  return { decision: 'allow', reasons: enforced.determining.map((id) => ({ policy: id, effect: 'permit' })), monitor };
}

function run(set: CompiledSet, cedar: CedarRequest): EvalResult {
  return set.evaluator.evaluate(cedar, set.entities);
}

/**
 * The forbids that apply: those satisfied, and those whose evaluation errored. Cedar skips a policy
 * that errors, which for a forbid means allowing what it was written to stop (a `limit` it reads
 * but the call left out, an overflow): the guard counts it as satisfied instead, saying why.
 */
function forbids(s: GuardSnapshot, r: EvalResult): Reason[] {
  const satisfied = r.decision === 'deny' ? r.determining.map((id) => reason(s, id)) : [];
  const errored = r.errors
    .filter((e) => s.byId.get(e.policy)?.effect === 'forbid')
    .map((e) => {
      const r = reason(s, e.policy);
      const why = `could not be evaluated for this call, so it counts as applying: ${e.message}`;
      return { ...r, message: r.message ? `${r.message} (${why})` : why };
    });
  return errored.length === 0 ? satisfied : [...satisfied, ...errored];
}

function reason(s: GuardSnapshot, id: string): Reason {
  const p = s.byId.get(id);
  return p?.approval !== undefined
    ? { policy: id, effect: 'approval' as const, message: p.approval }
    : { policy: id, effect: 'forbid' as const, ...(p?.description ? { message: p.description } : {}) };
}
