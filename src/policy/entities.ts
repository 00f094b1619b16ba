// The registry as Cedar entities (the data policies read), and request arguments as Cedar values
// typed by the tool's JSON Schema, matching the generated Cedar schema.
import type { CedarValueJson, EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { RegistrySnapshot } from '../registry/model.js';
import { classificationLevel } from './cedar-schema.js';
import { isWellFormed } from './values.js';

const uid = (type: string, id: string) => ({ type, id });

/** Entities for every agent, archetype, initiative, business unit, tool, model, data domain and action. */
export function buildEntities(
  registry: RegistrySnapshot,
  effectiveStatus: (agent: string) => string,
  riskTier: (initiative: string) => string | undefined = (i) => registry.get('Initiative', i)?.spec.riskTier,
): EntityJson[] {
  const out: EntityJson[] = [];
  const initiatives = new Map(registry.list('Initiative').map((i) => [i.name, i.spec]));
  const archetypes = new Map(registry.list('Archetype').map((a) => [a.name, a.spec]));
  for (const bu of registry.list('BusinessUnit')) out.push({ uid: uid('BusinessUnit', bu.name), attrs: {}, parents: [] });
  for (const [name, a] of archetypes) out.push({ uid: uid('Archetype', name), attrs: { autonomy: a.autonomy }, parents: [] });
  for (const [name, i] of initiatives) {
    const tier = riskTier(name);
    out.push({
      uid: uid('Initiative', name),
      attrs: { stage: i.stage, type: i.type, ...(tier ? { riskTier: tier } : {}) },
      parents: [uid('BusinessUnit', i.businessUnit)],
    });
  }
  for (const agent of registry.list('Agent')) {
    const initiative = initiatives.get(agent.spec.initiative);
    const archetype = agent.spec.archetype ? archetypes.get(agent.spec.archetype) : undefined;
    const attrs: Record<string, CedarValueJson> = {
      status: effectiveStatus(agent.name),
      owner: agent.spec.owner,
      initiative: agent.spec.initiative,
      stage: initiative?.stage ?? 'proposed',
    };
    if (agent.spec.archetype) attrs.archetype = agent.spec.archetype;
    if (archetype) attrs.autonomy = archetype.autonomy;
    if (agent.spec.framework) attrs.framework = agent.spec.framework;
    const tier = riskTier(agent.spec.initiative);
    if (tier) attrs.riskTier = tier;
    const parents = [uid('Initiative', agent.spec.initiative)];
    if (agent.spec.archetype) parents.push(uid('Archetype', agent.spec.archetype));
    if (initiative) parents.push(uid('BusinessUnit', initiative.businessUnit));
    out.push({ uid: uid('Agent', agent.name), attrs, parents });
  }
  for (const t of registry.list('Tool')) {
    out.push({ uid: uid('Tool', t.name), attrs: { effect: t.spec.effect, system: t.spec.system }, parents: [] });
    out.push({ uid: uid('Action', t.name), attrs: {}, parents: [uid('Action', 'tool.call')] });
  }
  out.push({ uid: uid('Action', 'tool.call'), attrs: {}, parents: [] });
  out.push({ uid: uid('Action', 'model.call'), attrs: {}, parents: [] });
  for (const m of registry.list('Model'))
    out.push({
      uid: uid('Model', m.name),
      attrs: {
        status: m.spec.status,
        provider: m.spec.provider,
        hosting: m.spec.hosting,
        maxClassification: m.spec.maxClassification,
        classificationLevel: classificationLevel(m.spec.maxClassification),
        regions: m.spec.regions,
      },
      parents: [],
    });
  for (const d of registry.list('DataDomain'))
    out.push({
      uid: uid('DataDomain', d.name),
      attrs: {
        classification: d.spec.classification,
        classificationLevel: classificationLevel(d.spec.classification),
        regions: d.spec.regions,
        productionReady: d.spec.maturity?.productionReady ?? false,
      },
      parents: [],
    });
  return out;
}

/** The largest magnitude a Cedar decimal holds (a 64-bit integer of ten-thousandths). */
const DECIMAL_MAX = 922_337_203_685_477;

/**
 * Call arguments (already valid against the tool's JSON Schema) as a Cedar record of the type the
 * generated schema declares: integer → Long, number → decimal, arrays → sets, objects → records.
 * Properties the schema does not type are left out, as the Cedar schema leaves them out (a policy
 * that reads one is refused when it is written: policies are validated strictly against it).
 *
 * A number policies could not compare exactly is not rounded into one they can: an integer beyond
 * ±(2^53 − 1) (JSON's doubles lose digits there), a number with more than four decimal places or
 * past a Cedar decimal's range. Each is named in `problems` (with its place in the arguments), and
 * the guard refuses the call: 0.50004 rounded to 0.5 would pass a `greaterThan(decimal("0.5"))` that
 * the value itself does not.
 *
 * So is a value of another type than the one policies read the argument as: a schema may allow
 * several (`type: [number, string]`), and the Cedar schema types the argument as the first that is
 * not null. Left out, the value would vanish from `context.arguments` and a policy on it (`has
 * amount && amount > 100`) be skipped: "150" would pass an approval that 150 needs.
 */
export function argumentsToCedar(value: unknown, schema: unknown, problems: string[] = [], at = ''): CedarValueJson | undefined {
  if (!schema || typeof schema !== 'object' || value === null || value === undefined) return undefined;
  const s = schema as Record<string, unknown>;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === undefined && Array.isArray(s.enum) && typeof value === 'string') return value;
  const unseen = (what: string) => {
    problems.push(
      `${at || '/'} is ${what}, but policies read it as ${A_TYPE[type as string]} (the first type its schema gives): send ${A_TYPE[type as string]}`,
    );
    return undefined;
  };
  switch (type) {
    case 'integer':
      if (typeof value !== 'number') return unseen(aTypeOf(value));
      if (!Number.isInteger(value)) return unseen('a number with a fraction');
      if (!Number.isSafeInteger(value)) problems.push(`${at || '/'} ${value} is past ±(2^53 − 1), where integers lose digits`);
      return value;
    case 'number': {
      if (typeof value !== 'number') return unseen(aTypeOf(value));
      const decimal = toDecimal(value);
      if (!Number.isFinite(value) || Math.abs(value) > DECIMAL_MAX)
        problems.push(`${at || '/'} ${value} is past ±${DECIMAL_MAX}, the range policies compare decimals in`);
      else if (Number(decimal) !== value)
        problems.push(`${at || '/'} ${value} has more than 4 decimal places, which policies cannot compare exactly: round it`);
      return { __extn: { fn: 'decimal', arg: decimal } };
    }
    case 'string':
      if (typeof value !== 'string') return unseen(aTypeOf(value));
      // JSON may carry half of a surrogate pair ("\ud800"); Cedar reads only well-formed text, and
      // the whole evaluation failed with "unexpected end of hex escape" where the call was at fault.
      if (!isWellFormed(value))
        problems.push(
          `${at || '/'} holds a lone surrogate (half of a UTF-16 character pair), which policies cannot read: send well-formed text`,
        );
      return value;
    case 'boolean':
      return typeof value === 'boolean' ? value : unseen(aTypeOf(value));
    case 'array':
      if (!Array.isArray(value)) return unseen(aTypeOf(value));
      return value.map((v, i) => argumentsToCedar(v, s.items, problems, `${at}/${i}`)).filter((v) => v !== undefined);
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return unseen(aTypeOf(value));
      const props = (s.properties as Record<string, unknown>) ?? {};
      const out: Record<string, CedarValueJson> = {};
      for (const [k, propSchema] of Object.entries(props)) {
        const v = argumentsToCedar((value as Record<string, unknown>)[k], propSchema, problems, `${at}/${k}`);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

const A_TYPE: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
};

function aTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return A_TYPE[typeof value] ?? `a ${typeof value}`;
}

/** Cedar decimals have at most four fractional digits. */
function toDecimal(n: number): string {
  const fixed = n.toFixed(4).replace(/0+$/, '');
  return fixed.endsWith('.') ? `${fixed}0` : fixed;
}
