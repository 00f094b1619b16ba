// `npm run generate:client`: writes src/client/schema.ts and src/client/answers.ts from the document the
// built server serves (run `npx tsc -p tsconfig.build.json` first; the npm script does).
import fs from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../dist/cli/openapi.js';
import { ANSWERS_FILE, answerSchemas, clientTypes, SCHEMA_FILE } from './client-codegen.mjs';

const root = path.resolve(import.meta.dirname, '..');
const document = await openApiDocument();
for (const [file, text] of [
  [SCHEMA_FILE, await clientTypes(document)],
  [ANSWERS_FILE, answerSchemas(document)],
]) {
  fs.writeFileSync(path.join(root, file), text);
  process.stdout.write(`wrote ${file} (${text.length} characters)\n`);
}
