// The one place that knows SQLite from PostgreSQL. Business code sees a Kysely<Database> and
// capability flags; dialect differences live here and in migrations.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type ColumnDefinitionBuilder, type Dialect, type Driver, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export interface DialectAdapter {
  readonly engine: 'sqlite' | 'postgres';
  /** DDL inside a transaction rolls back with it (PostgreSQL yes; SQLite yes, but Kysely's migrator wants the flag). */
  readonly supportsTransactionalDdl: boolean;
  /** Several processes may write concurrently (PostgreSQL); SQLite is one writer process. */
  readonly multiNode: boolean;
  /** An auto-incrementing integer primary key column, for migrations. */
  autoIncrement(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** The SQL type of an auto-incrementing primary key. */
  readonly autoIncrementType: 'integer' | 'bigserial';
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  adapter: DialectAdapter;
  /** Human-readable location, with no password. */
  location: string;
  /** SQLite: fsyncs of the WAL done so far (each may cover many commits); for metrics and tests. */
  walFsyncs?(): number;
  destroy(): Promise<void>;
}

const sqliteAdapter: DialectAdapter = {
  engine: 'sqlite',
  supportsTransactionalDdl: false,
  multiNode: false,
  autoIncrement: (col) => col.primaryKey().autoIncrement(),
  autoIncrementType: 'integer',
};

const postgresAdapter: DialectAdapter = {
  engine: 'postgres',
  supportsTransactionalDdl: true,
  multiNode: true,
  autoIncrement: (col) => col.primaryKey(),
  autoIncrementType: 'bigserial',
};

// COUNT(*) and BIGINT come back from pg as strings; every count we keep fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** SQLite file; used when databaseUrl is unset. */
  sqliteFile?: string;
  poolSize?: number;
}

export function openDatabase(opts: OpenOptions): DatabaseHandle {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  if (!opts.sqliteFile) throw new Error('openDatabase needs a databaseUrl or a sqliteFile');
  return openSqlite(opts.sqliteFile);
}

function openSqlite(file: string): DatabaseHandle {
  const memory = file === ':memory:';
  if (!memory) fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // A committed transaction must survive power loss, not only a process crash. SQLite's own way
  // (synchronous = FULL) fsyncs the WAL inside COMMIT, and better-sqlite3 is synchronous: the whole
  // event loop stood still for every fsync (~1.7 ms here), most of a decision's time. Instead SQLite
  // commits without syncing (NORMAL still syncs around checkpoints) and the driver below fsyncs the
  // WAL on libuv's thread pool before the transaction's caller goes on, with concurrent commits
  // sharing one fsync. Same guarantee, and the event loop keeps serving while the disk works.
  sqlite.pragma(`synchronous = ${memory ? 'OFF' : 'NORMAL'}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const cached = withStatementCache(sqlite);
  const wal = memory ? undefined : walSync(`${file}-wal`);
  const dialect = new SqliteDialect({ database: cached.database });
  const durable: Dialect = {
    createDriver: () => durableDriver(dialect.createDriver(), sqlite, cached, wal),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
  const db = new Kysely<Database>({ dialect: durable });
  return {
    db,
    adapter: sqliteAdapter,
    location: `sqlite:${file}`,
    ...(wal ? { walFsyncs: () => wal.count } : {}),
    destroy: async () => {
      await db.destroy();
      wal?.close();
    },
  };
}

/**
 * Kysely's SQLite driver, made durable: when a connection is released after writing (a committed
 * transaction, or a write outside one), the WAL is fsynced before the caller's promise settles. The
 * connection is released first, so the next transaction commits while this one's fsync runs.
 */
function durableDriver(
  inner: Driver,
  sqlite: SqliteDatabase.Database,
  writes: { takeDirty(): boolean },
  wal: WalSync | undefined,
): Driver {
  return {
    init: () => inner.init(),
    acquireConnection: () => inner.acquireConnection(),
    beginTransaction: (c, s) => inner.beginTransaction(c, s),
    commitTransaction: (c) => inner.commitTransaction(c),
    rollbackTransaction: (c) => inner.rollbackTransaction(c),
    savepoint: inner.savepoint?.bind(inner),
    rollbackToSavepoint: inner.rollbackToSavepoint?.bind(inner),
    releaseSavepoint: inner.releaseSavepoint?.bind(inner),
    async releaseConnection(c) {
      const wrote = !sqlite.inTransaction && writes.takeDirty();
      await inner.releaseConnection(c);
      if (wrote && wal) await wal.sync();
    },
    destroy: () => inner.destroy(),
  };
}

interface WalSync {
  sync(): Promise<void>;
  close(): void;
  /** fsyncs done so far (each may cover many commits). */
  readonly count: number;
}

/** fdatasync of the WAL file on the thread pool; callers arriving while one runs share the next. */
function walSync(file: string): WalSync {
  let fd: number | undefined;
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  let count = 0;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      fd ??= fs.openSync(file, 'r');
      fs.fdatasync(fd, (err) => {
        count++;
        if (err) reject(err);
        else resolve();
      });
    });
  const sync = (): Promise<void> => {
    // One already running may have started before this caller's commit: wait for the one after it.
    if (running) {
      next ??= running
        .catch(() => undefined)
        .then(() => {
          next = undefined;
          return sync();
        });
      return next;
    }
    running = once().finally(() => {
      running = undefined;
    });
    return running;
  };
  return {
    sync,
    close() {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
    get count() {
      return count;
    },
  };
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing is a large share of the cost of a
 * big multi-row insert. Reusing prepared statements by SQL text (a bounded LRU) removes it. It also
 * notes every statement that may write, for the durable driver.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, size = 256) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  let dirty = false;
  const prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
    } else {
      stmt = sqlite.prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, stmt);
    if (!stmt.reader) dirty = true;
    return stmt;
  };
  const database = new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    database,
    takeDirty() {
      const was = dirty;
      dirty = false;
      return was;
    },
  };
}

function openPostgres(url: string, max: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, adapter: postgresAdapter, location: redact(url), destroy: () => db.destroy() };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgresql';
  }
}
