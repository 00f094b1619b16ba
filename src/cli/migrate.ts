// `fulcrum migrate`: bring the database schema up to date (serve also does this at start).
import { openConfiguredDatabase } from '../app.js';
import { loadConfig } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';

export async function migrate(): Promise<number> {
  const database = openConfiguredDatabase(loadConfig());
  try {
    const { applied } = await migrateToLatest(database);
    process.stdout.write(
      applied.length ? applied.map((m) => `applied ${m}\n`).join('') : `${database.location}: schema is up to date\n`,
    );
    return 0;
  } finally {
    await database.destroy();
  }
}
