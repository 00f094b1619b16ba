// One storage test body, every engine: SQLite always, PostgreSQL when FULCRUM_TEST_DATABASE_URL
// is set (each test database cloned from the migrated template).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/adapter.js';
import { adminPool, databaseUrl } from './postgres.js';

export type Engine = 'sqlite' | 'postgres';

export const ENGINES: Engine[] = process.env.FULCRUM_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  engine: Engine;
  /** FULCRUM_DATABASE_URL for a server process on this database (PostgreSQL only). */
  url?: string;
  /** A scratch folder (the SQLite file lives here). */
  dir: string;
  open(): DatabaseHandle;
  drop(): Promise<void>;
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  return testDatabase(engine, 'fulcrum_t_', {
    postgres: async (admin, name) => {
      await withRetry(() => admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`));
    },
  });
}

/**
 * A test database holding what an earlier release wrote, not yet migrated: `sqlite` writes the file,
 * `postgres` loads the (empty, unmigrated) database at its URL.
 */
export async function createDatabaseFrom(
  engine: Engine,
  fill: { sqlite(file: string): void; postgres(url: string): Promise<void> },
): Promise<TestDatabase> {
  return testDatabase(engine, 'fulcrum_from_', {
    sqlite: fill.sqlite,
    postgres: async (admin, name, url) => {
      await admin.query(`CREATE DATABASE ${name}`);
      await fill.postgres(url);
    },
  });
}

/** A scratch folder, and a SQLite file in it or a PostgreSQL database named `prefix`…, made by `make`. */
async function testDatabase(
  engine: Engine,
  prefix: string,
  make: {
    sqlite?(file: string): void;
    postgres(admin: ReturnType<typeof adminPool>, name: string, url: string): Promise<void>;
  },
): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-test-'));
  if (engine === 'sqlite') {
    const file = path.join(dir, 'fulcrum.db');
    make.sqlite?.(file);
    return {
      engine,
      dir,
      open: () => openDatabase({ sqliteFile: file }),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.FULCRUM_TEST_DATABASE_URL as string;
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  const admin = adminPool(base);
  const url = databaseUrl(base, name);
  await make.postgres(admin, name, url);
  return {
    engine,
    dir,
    url,
    open: () => openDatabase({ databaseUrl: url, poolSize: 5 }),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database no migration has run on (the test template is migrated to the latest already), for migration tests. */
export async function createEmptyDatabase(engine: Engine): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-empty-'));
    const handle = openDatabase({ sqliteFile: path.join(dir, 'f.db') });
    return { handle, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env.FULCRUM_TEST_DATABASE_URL as string;
  const name = `fulcrum_empty_${randomBytes(6).toString('hex')}`;
  const admin = adminPool(base);
  await admin.query(`CREATE DATABASE ${name}`);
  const handle = openDatabase({ databaseUrl: databaseUrl(base, name), poolSize: 2 });
  return {
    handle,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

// Two files cloning the template at the same instant can collide ("source database is being accessed").
async function withRetry<T>(fn: () => Promise<T>, tries = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 100 * i));
    }
  }
}

/**
 * The databases a describe block's tests create and the handles they open on them, closed and dropped
 * after each test (this registers the afterEach; one the block registers later runs before it, as
 * vitest runs after-hooks in reverse: close what uses a handle there).
 */
export function perTestDatabases() {
  const dbs: TestDatabase[] = [];
  const handles: DatabaseHandle[] = [];
  const dropAll = async () => {
    for (const h of handles.splice(0)) await h.destroy();
    for (const d of dbs.splice(0)) await d.drop();
  };
  afterEach(dropAll);
  /** A handle on `db`, closed after the test. */
  const open = (db: TestDatabase) => {
    const h = db.open();
    handles.push(h);
    return h;
  };
  return {
    /** A new database, dropped after the test. */
    async create(engine: Engine) {
      const db = await createTestDatabase(engine);
      dbs.push(db);
      return db;
    },
    open,
    /** Closes and drops everything now (a test that makes several databases in turn). */
    dropAll,
  };
}
