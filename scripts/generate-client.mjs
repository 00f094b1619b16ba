// `npm run generate:client`: writes src/client/schema.ts from the document the built server serves
// (run `npx tsc -p tsconfig.build.json` first; the npm script does).
import fs from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../dist/cli/openapi.js';
import { clientTypes, SCHEMA_FILE } from './client-codegen.mjs';

const root = path.resolve(import.meta.dirname, '..');
const text = await clientTypes(await openApiDocument());
fs.writeFileSync(path.join(root, SCHEMA_FILE), text);
process.stdout.write(`wrote ${SCHEMA_FILE} (${text.length} characters)\n`);
