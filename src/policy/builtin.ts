// Fulcrum's built-in rules, generated as Cedar from the registry so that every reason a decision
// gives is a policy id (e.g. builtin/archetype-tools/support-agent) a user can read in
// GET /v1/policies/effective. Default deny: only permits open anything.
import type { RegistrySnapshot } from '../registry/model.js';
import { classificationLevel } from './cedar-schema.js';
import type { EffectivePolicy } from './policy-set.js';

/**
 * `s` as a Cedar string literal. JSON's escapes are not all Cedar's (`\b`, `\f`, `\u0007` do not
 * parse), so anything but printable ASCII is written as Cedar's `\u{hex}`, and `"` and `\` escaped.
 * A lone surrogate has no code point Cedar accepts: its literal does not parse, which a registry
 * write catches (it parses the built-in rules it would produce) and refuses.
 */
export function cedarString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else out += `\\u{${code.toString(16)}}`;
  }
  return `${out}"`;
}

const q = cedarString;
const actions = (tools: string[]) => `[${tools.map((t) => `Action::${q(t)}`).join(', ')}]`;

export function builtinPolicies(registry: RegistrySnapshot): EffectivePolicy[] {
  const out: EffectivePolicy[] = [];
  const add = (id: string, effect: 'permit' | 'forbid', text: string, description: string, approval?: string) =>
    out.push({
      id: `builtin/${id}`,
      effect,
      text,
      description,
      source: 'builtin',
      mode: 'enforce',
      ...(approval ? { approval } : {}),
    });

  for (const a of registry.list('Archetype')) {
    if (a.spec.tools.length > 0)
      add(
        `archetype-tools/${a.name}`,
        'permit',
        `permit (principal in Archetype::${q(a.name)}, action in ${actions(a.spec.tools)}, resource);`,
        `Agents of archetype ${a.name} may call its tools.`,
      );
    if (a.spec.models.length > 0)
      add(
        `archetype-models/${a.name}`,
        'permit',
        `permit (principal in Archetype::${q(a.name)}, action == Action::"model.call", resource)\nwhen { [${a.spec.models
          .map((m) => `Model::${q(m)}`)
          .join(', ')}].contains(resource) };`,
        `Agents of archetype ${a.name} may call its models.`,
      );
    add(
      `archetype-data-domains/${a.name}`,
      'forbid',
      `forbid (principal in Archetype::${q(a.name)}, action, resource)\nunless { [${a.spec.dataDomains
        .map((d) => `DataDomain::${q(d)}`)
        .join(', ')}].containsAll(context.dataDomains) };`,
      `Agents of archetype ${a.name} may touch only its data domains.`,
    );
  }
  for (const agent of registry.list('Agent')) {
    if (agent.spec.extraTools.length > 0)
      add(
        `extra-tools/${agent.name}`,
        'permit',
        `permit (principal == Agent::${q(agent.name)}, action in ${actions(agent.spec.extraTools)}, resource);`,
        `Agent ${agent.name} may call its extra tools.`,
      );
  }
  add(
    'ad-hoc-data-domains',
    'forbid',
    'forbid (principal, action, resource)\nwhen { !(principal has archetype) && !context.dataDomains.isEmpty() };',
    'An agent without an archetype has no data-domain scope: it may touch no data domain.',
  );
  add(
    'agent-status',
    'forbid',
    'forbid (principal, action, resource) when { principal.status != "active" };',
    'Suspended and retired agents may do nothing (the kill switch).',
  );
  add(
    'initiative-stage',
    'forbid',
    'forbid (principal, action, resource) when { principal.stage == "proposed" || principal.stage == "retired" };',
    'Agents of proposed or retired initiatives may do nothing.',
  );
  add(
    'prohibited-initiative',
    'forbid',
    'forbid (principal, action, resource) when { principal has riskTier && principal.riskTier == "prohibited" };',
    'An initiative assessed as a prohibited practice (EU AI Act Art. 5) may hold no active agent.',
  );
  add(
    'autonomy-suggest',
    'forbid',
    'forbid (principal, action in Action::"tool.call", resource)\nwhen { principal has autonomy && principal.autonomy == "suggest" && resource.effect != "read" };',
    'An archetype with autonomy "suggest" may only call read tools.',
  );
  const supervised = 'Supervised agents need a human for financial and destructive tools';
  add(
    'autonomy-supervised',
    'forbid',
    `@approval(${q(supervised)})\nforbid (principal, action in Action::"tool.call", resource)\nwhen { principal has autonomy && principal.autonomy == "supervised" && (resource.effect == "financial" || resource.effect == "destructive") };`,
    `${supervised}.`,
    supervised,
  );
  // An agent without an archetype has no autonomy level of its own: it is held to `supervised`, not
  // left autonomous (its extraTools could hold a refund or a delete with no human in the loop).
  const adHoc = 'An agent without an archetype needs a human for financial and destructive tools';
  add(
    'ad-hoc-supervised',
    'forbid',
    `@approval(${q(adHoc)})\nforbid (principal, action in Action::"tool.call", resource)\nwhen { !(principal has archetype) && (resource.effect == "financial" || resource.effect == "destructive") };`,
    `${adHoc}.`,
    adHoc,
  );
  add(
    'model-banned',
    'forbid',
    'forbid (principal, action == Action::"model.call", resource) when { resource.status == "banned" };',
    'Banned models may not be called.',
  );
  const restricted = 'Restricted models need approval for each use';
  add(
    'model-restricted',
    'forbid',
    `@approval(${q(restricted)})\nforbid (principal, action == Action::"model.call", resource) when { resource.status == "restricted" };`,
    `${restricted}.`,
    restricted,
  );
  for (const d of registry.list('DataDomain')) {
    const level = classificationLevel(d.spec.classification);
    add(
      `model-classification/${d.name}`,
      'forbid',
      `forbid (principal, action == Action::"model.call", resource)\nwhen { context.dataDomains.contains(DataDomain::${q(d.name)}) && resource.classificationLevel < ${level} };`,
      `A model may see ${d.name} (${d.spec.classification}) only if cleared for ${d.spec.classification} data.`,
    );
    if (d.spec.regions.length > 0)
      add(
        `model-regions/${d.name}`,
        'forbid',
        `forbid (principal, action == Action::"model.call", resource)\nwhen { context.dataDomains.contains(DataDomain::${q(d.name)}) && !resource.regions.containsAny([${d.spec.regions
          .map(q)
          .join(', ')}]) };`,
        `A model may see ${d.name} only if it runs in one of its regions (${d.spec.regions.join(', ')}).`,
      );
  }
  return out;
}

// Which descriptor field each generated rule is written from, by the rule's id prefix.
const ORIGINS: Array<[prefix: string, kind: string, path: string]> = [
  ['builtin/archetype-tools/', 'Archetype', '/spec/tools'],
  ['builtin/archetype-models/', 'Archetype', '/spec/models'],
  ['builtin/archetype-data-domains/', 'Archetype', '/spec/dataDomains'],
  ['builtin/extra-tools/', 'Agent', '/spec/extraTools'],
  ['builtin/model-classification/', 'DataDomain', '/spec/classification'],
  ['builtin/model-regions/', 'DataDomain', '/spec/regions'],
];

/** The descriptor and field a built-in rule is generated from (undefined for the fixed rules), so
 *  that a value which breaks its rule is reported where it was written. */
export function builtinOrigin(id: string): { kind: string; name: string; path: string } | undefined {
  for (const [prefix, kind, path] of ORIGINS) if (id.startsWith(prefix)) return { kind, name: id.slice(prefix.length), path };
  return undefined;
}
