// Once per run: when FULCRUM_TEST_DATABASE_URL is set, migrate a template database that each
// test file clones (CREATE DATABASE … TEMPLATE), so PostgreSQL tests start fast and isolated.
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { adminPool, databaseUrl } from './postgres.js';

export default async function setup(project: TestProject) {
  const url = process.env.FULCRUM_TEST_DATABASE_URL;
  if (!url) return;
  const template = `fulcrum_tpl_${process.pid}`;
  const admin = adminPool(url);
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const handle = openDatabase({ databaseUrl: databaseUrl(url, template), poolSize: 1 });
  await migrateToLatest(handle);
  await handle.destroy();
  project.provide('pgTemplate', template);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}
