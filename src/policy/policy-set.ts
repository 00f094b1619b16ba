// The effective policy set: built-in rules generated from the registry plus every custom Policy
// descriptor, split into single Cedar policies with stable ids.
import type { RegistrySnapshot } from '../registry/model.js';
import { builtinPolicies } from './builtin.js';
import { policiesToJson, policiesToJsonAsync, policySetToParts, policySetToPartsAsync } from './cedar-runtime.js';

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

export function effectivePolicies(registry: RegistrySnapshot): EffectivePolicy[] {
  const custom = registry.list('Policy').flatMap((p) => splitPolicy(p.name, p.spec.cedar, p.spec.mode, p.spec.description));
  return [...builtinPolicies(registry), ...custom];
}

/**
 * Parses what effectivePolicies and the evaluator will need for `registry` in the Cedar worker,
 * without blocking this thread, so that building the guard's snapshot then finds it all cached.
 * Texts that do not parse are left for the synchronous path to report.
 */
export async function preparePolicies(registry: RegistrySnapshot): Promise<void> {
  const splits = await Promise.all(registry.list('Policy').map((p) => policySetToPartsAsync(p.spec.cedar)));
  const parts = splits.flatMap((s) => ('parts' in s ? s.parts : []));
  await policiesToJsonAsync([...builtinPolicies(registry).map((p) => p.text), ...parts]);
}

/** One Policy descriptor's Cedar text as single policies (the text was validated on apply). */
export function splitPolicy(name: string, text: string, mode: 'enforce' | 'monitor', description?: string): EffectivePolicy[] {
  const split = policySetToParts(text);
  if ('error' in split) throw new Error(`Policy ${name}: ${split.error}`);
  const parsed = policiesToJson(split.parts);
  return split.parts.map((part, i) => {
    const json = parsed[i] as (typeof parsed)[number];
    if ('error' in json) throw new Error(`Policy ${name}: ${json.error}`);
    const annotations = json.json.annotations ?? {};
    const suffix = annotations.id ?? (split.parts.length > 1 ? String(i + 1) : undefined);
    const approval = annotations.approval;
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
