// Generates the Cedar schema from the registry, so custom policies validate strictly against
// the agents, tools (with their argument types), models and data domains that actually exist.
import type { SchemaJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { RegistrySnapshot } from '../registry/model.js';
import { CLASSIFICATIONS } from '../registry/schemas.js';

type CedarType = Record<string, unknown>;
type Attributes = Record<string, CedarType>;

/** Action ids Fulcrum itself defines; no Tool may take these names. */
export const RESERVED_ACTIONS = ['tool.call', 'model.call'] as const;

/** 0 public … 3 restricted, so policies can compare classifications with `<=`. */
export const classificationLevel = (c: string): number => (CLASSIFICATIONS as readonly string[]).indexOf(c);

const STRING = { type: 'String' } as const;
const LONG = { type: 'Long' } as const;
const BOOL = { type: 'Boolean' } as const;
const STRING_SET = { type: 'Set', element: STRING } as const;
const record = (attributes: Attributes): CedarType => ({ type: 'Record', attributes });
const optional = (t: CedarType): CedarType => ({ ...t, required: false });

export function generateCedarSchema(registry: RegistrySnapshot): SchemaJson<string> {
  const dataDomains = { type: 'Set', element: { type: 'Entity', name: 'DataDomain' } };
  const actions: Record<string, unknown> = {
    'tool.call': {},
    'model.call': {
      appliesTo: { principalTypes: ['Agent'], resourceTypes: ['Model'], context: record({ dataDomains }) },
    },
  };
  // In name order, whatever order the registry holds them in (a bundle's order, or the database's):
  // policy verdicts are cached under the schema's digest, and with 2,000 Tools one round of checks
  // takes the Cedar worker seconds, so the same registry must always give the same text.
  const tools = registry.list('Tool').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const tool of tools) {
    if ((RESERVED_ACTIONS as readonly string[]).includes(tool.name)) continue;
    actions[tool.name] = {
      memberOf: [{ id: 'tool.call' }],
      appliesTo: {
        principalTypes: ['Agent'],
        resourceTypes: ['Tool'],
        context: record({ arguments: argumentsType(tool.spec.arguments), dataDomains }),
      },
    };
  }
  return {
    '': {
      entityTypes: {
        Agent: {
          memberOfTypes: ['Archetype', 'Initiative', 'BusinessUnit'],
          shape: record({
            status: STRING,
            owner: STRING,
            initiative: STRING,
            archetype: optional(STRING),
            autonomy: optional(STRING),
            framework: optional(STRING),
            riskTier: optional(STRING),
            stage: STRING,
          }),
        },
        Archetype: { shape: record({ autonomy: STRING }) },
        Initiative: {
          memberOfTypes: ['BusinessUnit'],
          shape: record({ stage: STRING, type: STRING, riskTier: optional(STRING) }),
        },
        BusinessUnit: {},
        DataDomain: {
          shape: record({ classification: STRING, classificationLevel: LONG, regions: STRING_SET, productionReady: BOOL }),
        },
        Tool: { shape: record({ effect: STRING, system: STRING }) },
        Model: {
          shape: record({
            status: STRING,
            provider: STRING,
            hosting: STRING,
            maxClassification: STRING,
            classificationLevel: LONG,
            regions: STRING_SET,
          }),
        },
      },
      actions,
    },
  } as unknown as SchemaJson<string>;
}

/**
 * The most levels of records and sets a Tool's `arguments` may nest as Cedar types (the arguments
 * record itself is one). cedar-wasm reads the generated schema with a recursion limit of 128 JSON
 * levels, two a record: past ~60, the whole schema is unreadable, and every Policy with it. 32 is as
 * deep as a JSON body (64 levels, src/http/json-depth.ts) can write a schema anyway.
 */
export const MAX_ARGUMENTS_DEPTH = 32;

/** Levels of records and sets in a Tool's `arguments` as Cedar types (the arguments record is 1). */
export function argumentsDepth(jsonSchema: Record<string, unknown>): number {
  return depthOf(argumentsType(jsonSchema));
}

function depthOf(t: CedarType): number {
  if (t.type === 'Set') return 1 + depthOf(t.element as CedarType);
  if (t.type !== 'Record') return 0;
  let deepest = 0;
  for (const a of Object.values(t.attributes as Attributes)) deepest = Math.max(deepest, depthOf(a));
  return 1 + deepest;
}

/** A tool's JSON Schema as a Cedar record type (properties Cedar cannot type are left out). */
export function argumentsType(jsonSchema: Record<string, unknown>): CedarType {
  return jsonSchemaToCedar(jsonSchema) ?? record({});
}

function jsonSchemaToCedar(schema: unknown): CedarType | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as Record<string, unknown>;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === undefined && Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) return STRING;
  switch (type) {
    case 'integer':
      return LONG;
    case 'number':
      return { type: 'Extension', name: 'decimal' };
    case 'string':
      return STRING;
    case 'boolean':
      return BOOL;
    case 'array': {
      const element = jsonSchemaToCedar(s.items);
      return element ? { type: 'Set', element } : undefined;
    }
    case 'object': {
      const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      const attributes: Attributes = {};
      for (const [name, prop] of Object.entries((s.properties as Record<string, unknown>) ?? {})) {
        const t = jsonSchemaToCedar(prop);
        // A property that may be null is optional even when required: null is no value, so it is
        // left out of context.arguments (argumentsToCedar), and a policy must ask `has` first.
        if (t) attributes[name] = required.has(name) && !allowsNull(prop) ? t : optional(t);
      }
      return record(attributes);
    }
    default:
      return undefined;
  }
}

/** Whether a JSON Schema admits null (`type: [integer, null]`, `type: null`, an enum or const holding null). */
function allowsNull(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const s = schema as Record<string, unknown>;
  return (
    s.type === 'null' ||
    (Array.isArray(s.type) && s.type.includes('null')) ||
    s.nullable === true ||
    (Array.isArray(s.enum) && s.enum.includes(null)) ||
    ('const' in s && s.const === null)
  );
}
