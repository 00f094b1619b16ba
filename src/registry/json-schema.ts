// The JSON Schema dialects a Tool's `arguments` may be written in, and one Ajv per dialect.
//
// MCP servers declare their tools' input schemas in JSON Schema; since MCP 2025-11-25 the default
// dialect there is 2020-12, and zod 4's `toJSONSchema` (behind many servers) writes
// `"$schema": "https://json-schema.org/draft/2020-12/schema"`. Fulcrum's descriptors predate that:
// a schema without `$schema` is draft-07, as it always was here, and one naming 2019-09 or 2020-12
// is compiled as that dialect. Anything else is refused, saying which dialects are understood.
import { Ajv, type Options, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { linearRegExp } from './linear-regexp.js';

export type Dialect = 'draft-07' | '2019-09' | '2020-12';

// Keyed without the `#` draft-07's URI usually ends in, and with https (http is the same dialect).
const DIALECTS: Record<string, Dialect> = {
  'https://json-schema.org/draft-07/schema': 'draft-07',
  'https://json-schema.org/draft/2019-09/schema': '2019-09',
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
};

const CANONICAL: Record<Dialect, string> = {
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

/** The dialect a schema is written in; throws, naming the `$schema` and the dialects understood. */
export function dialectOf(schema: Record<string, unknown>): Dialect {
  const uri = schema.$schema;
  if (uri === undefined) return 'draft-07';
  const dialect = typeof uri === 'string' ? DIALECTS[uri.replace(/#$/, '').replace(/^http:/, 'https:')] : undefined;
  if (!dialect)
    throw new Error(
      `$schema ${JSON.stringify(uri)} is not a dialect Fulcrum validates (draft-07, the default; 2019-09; 2020-12)`,
    );
  return dialect;
}

/**
 * Compiles schemas in whichever of the dialects they name, with one Ajv instance per dialect made
 * when first needed (Ajv caches what it compiles for its lifetime: callers own the compilers).
 */
export function schemaCompilers(options: Options, setup: (ajv: Ajv) => void = () => {}) {
  const made = new Map<Dialect, Ajv>();
  const make = { 'draft-07': Ajv, '2019-09': Ajv2019, '2020-12': Ajv2020 } as const;
  const ajvFor = (dialect: Dialect): Ajv => {
    let ajv = made.get(dialect);
    if (!ajv) {
      // Patterns run on what agents send: in linear time (linear-regexp.ts), never backtracking.
      ajv = new make[dialect]({ ...options, code: { ...options.code, regExp: linearRegExp } }) as Ajv;
      linearUniqueItems(ajv);
      setup(ajv);
      made.set(dialect, ajv);
    }
    return ajv;
  };
  // Ajv knows each meta-schema by one spelling of its URI.
  const spelled = (schema: Record<string, unknown>, dialect: Dialect) =>
    schema.$schema === undefined ? schema : { ...schema, $schema: CANONICAL[dialect] };
  return {
    compile(schema: Record<string, unknown>): ValidateFunction {
      const dialect = dialectOf(schema);
      return ajvFor(dialect).compile(spelled(schema, dialect));
    },

    /**
     * Throws when `schema` does not compile; keeps nothing. (Ajv caches every schema object it
     * compiles for its lifetime: checking each apply's fresh copies would grow it without end.)
     */
    check(schema: Record<string, unknown>): void {
      const dialect = dialectOf(schema);
      const ajv = ajvFor(dialect);
      const s = spelled(schema, dialect);
      try {
        ajv.compile(s);
      } finally {
        ajv.removeSchema(s);
      }
    },
  };
}

/**
 * `uniqueItems` by one lookup per item. Ajv's compares every item with every other unless its schema
 * types them all as one primitive: 20,000 distinct objects an agent sent took ~16 s to validate (40,000
 * ~75 s), on the event loop, every other request of the node waiting. Same verdict and message as
 * Ajv's, naming the first item that repeats an earlier one.
 */
function linearUniqueItems(ajv: Ajv): void {
  const uniqueItems: SchemaValidateFunction = (unique: boolean, data: unknown[]) => {
    if (!unique) return true;
    const seen = new Map<string, number>();
    for (let i = 0; i < data.length; i++) {
      const key = jsonKey(data[i]);
      const j = seen.get(key);
      if (j !== undefined) {
        const message = `must NOT have duplicate items (items ## ${j} and ${i} are identical)`;
        uniqueItems.errors = [{ keyword: 'uniqueItems', message, params: { i, j } }];
        return false;
      }
      seen.set(key, i);
    }
    return true;
  };
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword({ keyword: 'uniqueItems', type: 'array', schemaType: 'boolean', errors: true, validate: uniqueItems });
}

/** JSON text two values share exactly when JSON Schema holds them equal: an object's keys in any order. */
function jsonKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}
