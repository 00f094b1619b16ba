// The JSON Schema dialects a Tool's `arguments` may be written in, and one Ajv per dialect.
//
// MCP servers declare their tools' input schemas in JSON Schema; since MCP 2025-11-25 the default
// dialect there is 2020-12, and zod 4's `toJSONSchema` (behind many servers) writes
// `"$schema": "https://json-schema.org/draft/2020-12/schema"`. Fulcrum's descriptors predate that:
// a schema without `$schema` is draft-07, as it always was here, and one naming 2019-09 or 2020-12
// is compiled as that dialect. Anything else is refused, saying which dialects are understood.
import { Ajv, type Options, type ValidateFunction } from 'ajv';
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
