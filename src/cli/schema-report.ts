// `fulcrum schema-report`: prints docs/schema.md, generated from the migrations on a scratch SQLite database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/adapter.js';
import { migrateToLatest } from '../db/migrate.js';
import { schemaReport } from '../db/schema-report.js';

export async function printSchemaReport(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-schema-'));
  const handle = openDatabase({ sqliteFile: path.join(dir, 'schema.db') });
  try {
    await migrateToLatest(handle);
    process.stdout.write(await schemaReport(handle));
    return 0;
  } finally {
    await handle.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
