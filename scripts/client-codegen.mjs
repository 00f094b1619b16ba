// Generates src/client/schema.ts (the typed client's types) from the server's OpenAPI document. Used by
// `npm run generate:client` and by the drift test (test/http/contract.test.ts), so both make the same file.
import openapiTS, { astToString } from 'openapi-typescript';

export const SCHEMA_FILE = 'src/client/schema.ts';

const HEADER = `// Generated from Fulcrum's OpenAPI document by \`npm run generate:client\` (openapi-typescript).
// Do not edit: change the route schemas in src/http and regenerate; test/http/contract.test.ts fails
// when this file and the server's document disagree.
`;

/** The TypeScript text of src/client/schema.ts for an OpenAPI document. */
export async function clientTypes(document) {
  const ast = await openapiTS(document, { alphabetize: true, exportType: false });
  return HEADER + astToString(ast);
}
