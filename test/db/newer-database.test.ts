// A node started on a database a newer release migrated (a deployment rolled back without restoring
// the backup, or one node of a cluster left on the earlier release) stops, and says why and what to do.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createEmptyDatabase, ENGINES } from '../support/databases.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe.each(ENGINES)('a database migrated by a newer release (%s)', (engine) => {
  it('is refused, naming the migrations this build does not know and what to do', async () => {
    const { handle, drop } = await createEmptyDatabase(engine);
    cleanup.push(async () => {
      await handle.destroy();
      await drop();
    });
    await migrateToLatest(handle);
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('20991231T0000-from-a-newer-release', '2099-12-31T00:00:00.000Z')`.execute(
      handle.db,
    );
    await expect(migrateToLatest(handle)).rejects.toThrow(
      /^the database .* was migrated by a newer Fulcrum release: it ran 20991231T0000-from-a-newer-release, which this build does not have\. Run that release or a later one, or restore the backup taken before the upgrade/,
    );
  });
});
