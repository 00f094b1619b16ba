// Generates the typed client's files from the server's OpenAPI document: src/client/schema.ts (its
// types) and src/client/answers.ts (the shapes of its success answers, which the CLI checks every
// answer against). Used by `npm run generate:client` and by the drift test (test/http/contract.test.ts),
// so both make the same files.
import openapiTS, { astToString } from 'openapi-typescript';

export const SCHEMA_FILE = 'src/client/schema.ts';
export const ANSWERS_FILE = 'src/client/answers.ts';

const HEADER = `// Generated from Fulcrum's OpenAPI document by \`npm run generate:client\` (openapi-typescript).
// Do not edit: change the route schemas in src/http and regenerate; test/http/contract.test.ts fails
// when this file and the server's document disagree.
`;

/** The TypeScript text of src/client/schema.ts for an OpenAPI document. */
export async function clientTypes(document) {
  const ast = await openapiTS(document, { alphabetize: true, exportType: false });
  return HEADER + astToString(ast);
}

/**
 * The keywords an answer is checked by: its shape (types, required properties, the values of an enum,
 * the alternatives of a union). Left out: `additionalProperties: false` (the registry's kinds are closed
 * for what a caller sends, and a newer Fulcrum that adds a field must still be read), and the bounds and
 * formats of values (lengths, ranges, patterns, date formats), which say what a server accepts, not what
 * tells a Fulcrum's answer from another service's.
 */
const SHAPE = new Set(['type', 'properties', 'required', 'items', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref']);

function shape(schema) {
  if (Array.isArray(schema)) return schema.map(shape);
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, shape(s)]));
    else if (k === 'enum' || k === 'const' || k === 'required' || k === '$ref' || k === 'type') out[k] = v;
    else if (SHAPE.has(k)) out[k] = shape(v);
    else if (k === 'additionalProperties' && v && typeof v === 'object') out[k] = shape(v);
  }
  return out;
}

/** The names of the components `schema` refers to, directly or through other components. */
function reached(schema, components, names = new Set()) {
  const walk = (s) => {
    if (Array.isArray(s)) return s.forEach(walk);
    if (!s || typeof s !== 'object') return;
    for (const [k, v] of Object.entries(s)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        if (!names.has(name)) {
          names.add(name);
          walk(components[name]);
        }
      } else walk(v);
    }
  };
  walk(schema);
  return names;
}

/**
 * The TypeScript text of src/client/answers.ts: for each path, method and success status, the shape of
 * its JSON answer (null where it has none, a 204 or a download), and the components those refer to.
 */
export function answerSchemas(document) {
  const components = document.components?.schemas ?? {};
  const paths = {};
  const names = new Set();
  for (const [p, item] of Object.entries(document.paths ?? {}).sort(([a], [b]) => a.localeCompare(b)))
    for (const [method, op] of Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) {
      const statuses = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      if (statuses.length === 0) continue;
      paths[p] ??= {};
      paths[p][method] = {};
      for (const [status, response] of statuses.sort(([a], [b]) => a.localeCompare(b))) {
        const json = response?.content?.['application/json']?.schema;
        paths[p][method][status] = json === undefined ? null : shape(json);
        if (json !== undefined) reached(json, components, names);
      }
    }
  const schemas = Object.fromEntries([...names].sort().map((name) => [name, shape(components[name])]));
  return `// Generated from Fulcrum's OpenAPI document by \`npm run generate:client\` (scripts/client-codegen.mjs).
// Do not edit: change the route schemas in src/http and regenerate; test/http/contract.test.ts fails
// when this file and the server's document disagree. What each success answer of the API looks like:
// the CLI checks every JSON answer against it (src/cli/answers.ts).

/** Per path, method and 2xx status: the JSON Schema of the answer's body, or null when it has no JSON body. */
export type AnswerPaths = Record<string, Record<string, Record<string, object | null>>>;

export const answerDocument: { $id: string; paths: AnswerPaths; components: { schemas: Record<string, object> } } = ${JSON.stringify(
    { $id: 'fulcrum-answers', paths, components: { schemas } },
    null,
    1,
  )};
`;
}
