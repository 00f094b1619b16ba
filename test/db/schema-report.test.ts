// docs/schema.md is generated from the migrations; this fails when someone changes one without the other.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { schemaReport } from '../../src/db/schema-report.js';
import { createTestDatabase } from '../support/databases.js';

describe('the schema report', () => {
  it('matches the migrations (run `npm run schema-report` after adding one)', async () => {
    const tdb = await createTestDatabase('sqlite');
    const handle = tdb.open();
    await migrateToLatest(handle);
    const report = await schemaReport(handle);
    await handle.destroy();
    await tdb.drop();
    expect(fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/schema.md'), 'utf8')).toBe(report);
  });
});
