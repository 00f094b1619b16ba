// The effective policy set: built-in rules generated from the registry plus every custom Policy
// descriptor, split into single Cedar policies with stable ids.
import type * as Cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { RegistrySnapshot } from '../registry/model.js';
import { MAX_REASON_TEXT, NAME_PATTERN } from '../registry/schemas.js';
import { builtinPolicies } from './builtin.js';
import { policiesToJson, policiesToJsonAsync, policySetsToPartsAsync, policySetToParts } from './cedar-runtime.js';

export interface EffectivePolicy {
  /** `builtin/...`, or the Policy descriptor's name (`name/N` or `name/<@id>` when it holds several). */
  id: string;
  effect: 'permit' | 'forbid';
  /** For a forbid annotated @approval("why"): the why. Such a forbid means "needs a human". */
  approval?: string;
  mode: 'enforce' | 'monitor';
  source: 'builtin' | 'custom';
  text: string;
  description?: string;
}

/**
 * Every policy of `registry`, each with an id no other has. A registry write refuses ids that repeat
 * (policyIdProblems), but a database may hold a Policy written before that rule: rather than fail
 * every decision, a repeated id is kept in force under `<id>#<n>` (`onDuplicate` is told), so no
 * forbid is lost and the first policy (a built-in, or the earlier part) keeps its own id.
 */
export function effectivePolicies(
  registry: RegistrySnapshot,
  onDuplicate: (id: string, renamed: string) => void = () => {},
): EffectivePolicy[] {
  const custom = registry.list('Policy').flatMap((p) => splitPolicy(p.name, p.spec.cedar, p.spec.mode, p.spec.description));
  const all = [...builtinPolicies(registry), ...custom];
  const seen = new Set<string>();
  return all.map((p) => {
    if (!seen.has(p.id)) {
      seen.add(p.id);
      return p;
    }
    let n = 2;
    while (seen.has(`${p.id}#${n}`)) n++;
    const renamed = `${p.id}#${n}`;
    seen.add(renamed);
    onDuplicate(p.id, renamed);
    return { ...p, id: renamed };
  });
}

/** What an `@id` may be: written like a descriptor's name, so never a `/` (ids are `<name>/<@id>`). */
const ID_ANNOTATION = new RegExp(NAME_PATTERN);

/** Descriptor names a Policy may not take: the built-in rules' prefix and the guard's own reasons. */
export const RESERVED_POLICY_NAMES: readonly string[] = [
  'builtin',
  'default-deny',
  'invalid-arguments',
  'evaluation-failed',
  'registry-changed',
  'credential-revoked',
  'approval',
  'approval-denied',
  'approval-invalid',
  'fulcrum-unreachable',
];

/**
 * Why the policy ids of `registry` could not stand: a Policy named like a built-in rule or a guard
 * refusal, an `@id` that is not written like a name, or an id given twice (within one Policy, as
 * `@id("2")` beside an unannotated second part, or across the set). Also an `@approval` longer than
 * a reason may be (MAX_REASON_TEXT): the annotations are read here. `partsOf` gives a Policy's
 * text as its single policies in JSON form; undefined when that is not known, and then so is the
 * answer. Texts that do not parse are left out (their own check reports them).
 */
export function policyIdProblems(
  registry: RegistrySnapshot,
  partsOf: (text: string) => Cedar.PolicyJson[] | { error: string } | undefined,
  builtins: readonly EffectivePolicy[] = builtinPolicies(registry),
): Array<{ name: string; path: string; message: string }> | undefined {
  const problems: Array<{ name: string; path: string; message: string }> = [];
  const owner = new Map<string, string>(builtins.map((p) => [p.id, 'a built-in rule']));
  for (const p of registry.list('Policy')) {
    if (RESERVED_POLICY_NAMES.includes(p.name)) {
      problems.push({
        name: p.name,
        path: '/metadata/name',
        message: `"${p.name}" is reserved for Fulcrum's own policy ids: name the Policy otherwise`,
      });
      continue;
    }
    const parts = partsOf(p.spec.cedar);
    if (parts === undefined) return undefined;
    if ('error' in parts) continue;
    const ids = idSuffixes(parts).map((suffix) => (suffix === undefined ? p.name : `${p.name}/${suffix}`));
    parts.forEach((part, i) => {
      const annotated = part.annotations?.id;
      if (annotated !== undefined && !ID_ANNOTATION.test(annotated)) {
        problems.push({
          name: p.name,
          path: '/spec/cedar',
          message: `@id(${JSON.stringify(annotated)}) of its policy ${i + 1}: an @id is written like a name (letters, digits, . _ : @ -, no "/")`,
        });
        return;
      }
      // The reason every decision it applies to carries (and the audit log keeps).
      const approval = part.annotations?.approval;
      const length = approval === undefined ? 0 : [...approval].length;
      if (length > MAX_REASON_TEXT)
        problems.push({
          name: p.name,
          path: '/spec/cedar',
          message: `@approval of its policy ${i + 1} is ${length} characters long; a reason is at most ${MAX_REASON_TEXT}`,
        });
      const id = ids[i] as string;
      const first = owner.get(id);
      if (first !== undefined)
        problems.push({
          name: p.name,
          path: '/spec/cedar',
          message: `its policy ${i + 1} has id "${id}", which is already ${first}'s: give it another @id`,
        });
      else owner.set(id, `Policy ${p.name}'s policy ${i + 1}`);
    });
  }
  return problems;
}

/** The id suffix of each policy of one descriptor: its @id, else its number when there are several. */
function idSuffixes(parts: readonly Cedar.PolicyJson[]): Array<string | undefined> {
  return parts.map((json, i) => json.annotations?.id ?? (parts.length > 1 ? String(i + 1) : undefined));
}

/**
 * Parses what effectivePolicies and the evaluator will need for `registry` in the Cedar worker,
 * without blocking this thread, so that building the guard's snapshot then finds it all cached.
 * Texts that do not parse are left for the synchronous path to report.
 */
export async function preparePolicies(registry: RegistrySnapshot): Promise<void> {
  const splits = await policySetsToPartsAsync(registry.list('Policy').map((p) => p.spec.cedar));
  const parts = splits.flatMap((s) => ('parts' in s ? s.parts : []));
  await policiesToJsonAsync([...builtinPolicies(registry).map((p) => p.text), ...parts]);
}

/** One Policy descriptor's Cedar text as single policies (the text was validated on apply). */
export function splitPolicy(name: string, text: string, mode: 'enforce' | 'monitor', description?: string): EffectivePolicy[] {
  const split = policySetToParts(text);
  if ('error' in split) throw new Error(`Policy ${name}: ${split.error}`);
  const parsed = policiesToJson(split.parts);
  const suffixes = idSuffixes(parsed.map((p) => ('json' in p ? p.json : {}) as Cedar.PolicyJson));
  return split.parts.map((part, i) => {
    const json = parsed[i] as (typeof parsed)[number];
    if ('error' in json) throw new Error(`Policy ${name}: ${json.error}`);
    const suffix = suffixes[i];
    const approval = json.json.annotations?.approval;
    return {
      id: suffix === undefined ? name : `${name}/${suffix}`,
      effect: json.json.effect,
      ...(json.json.effect === 'forbid' && approval !== undefined ? { approval: approval || 'Needs human approval' } : {}),
      mode,
      source: 'custom' as const,
      text: part,
      ...(description ? { description } : {}),
    };
  });
}
