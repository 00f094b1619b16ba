// The one place that knows SQLite from PostgreSQL. Business code sees a Kysely<Database> and
// capability flags; dialect differences live here and in migrations.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import {
  type ColumnDefinitionBuilder,
  type Expression,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  type RawBuilder,
  SqliteDialect,
  sql,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { FulcrumError } from '../errors.js';
import { touchPrivateFile } from '../private-files.js';
import type { Database } from './schema.js';

/** The most terms to OR in one WHERE on every engine (SQLite refuses an expression deeper than 1,000). */
const OR_TERMS_PER_QUERY = 400;

/** `terms` in slices of OR_TERMS_PER_QUERY, one query each; always at least one slice (maybe empty). */
export function orBatches<T>(terms: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i === 0 || i < terms.length; i += OR_TERMS_PER_QUERY) out.push(terms.slice(i, i + OR_TERMS_PER_QUERY));
  return out;
}

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
  /**
   * `SELECT … FOR UPDATE` locks the rows read until the transaction ends (PostgreSQL). SQLite has
   * no row locks and needs none: its write transaction already serialises every writer.
   */
  readonly rowLocks: boolean;
  /**
   * The hidden column that names a row where it is stored (SQLite's rowid, PostgreSQL's ctid): for
   * deleting what a query picks a slice at a time, in tables whose key is partial or wide.
   */
  readonly rowId: 'rowid' | 'ctid';
  /**
   * Runs `fn` in one read-only transaction that sees a single snapshot of the database: REPEATABLE
   * READ on PostgreSQL (READ COMMITTED would let each statement see later commits); on SQLite one
   * read transaction (WAL: other connections' commits stay invisible until it ends).
   */
  readSnapshot<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * The entries of a JSON object of strings as a table (columns `key`, `value`), from one bound
   * parameter however many entries it has (a query's list of 10,000 pairs would pass SQLite's limit
   * of parameters): SQLite's json_each, PostgreSQL's json_each_text.
   */
  objectEntries(json: string): RawBuilder<{ key: string; value: string }>;
  /**
   * A JSON array of strings as a subquery of one column, for the right side of IN / NOT IN (empty: no
   * rows), from one bound parameter however many values it has (src/db/value-set.ts).
   */
  arrayValues(json: string): RawBuilder<string>;
  /**
   * A JSON array of objects of strings as a table of `columns` (each object's members of those names),
   * from one bound parameter however many rows it has: for a join on pairs of values where IN lists of
   * each would read their cross product. `columns` are the caller's names, never input.
   */
  arrayRows<C extends string>(json: string, columns: readonly C[]): RawBuilder<Record<C, string>>;
  /** Text in code-point order, whatever the database's collation (PostgreSQL's may be a locale's). */
  codePointOrder(text: Expression<string>): RawBuilder<string>;
  /**
   * Waits for, then holds until `trx` ends, a lock on each of `keys` (PostgreSQL: transaction advisory
   * locks, taken in sorted order so two callers never wait on each other crosswise). SQLite: nothing to
   * do, its one write transaction at a time already serialises every writer.
   */
  lockKeys(trx: Kysely<Database>, keys: readonly string[]): Promise<void>;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  adapter: DialectAdapter;
  /** Human-readable location, with no password. */
  location: string;
  destroy(): Promise<void>;
  /**
   * From now on no query, nor a wait for a connection, takes longer than `ms` (0: no bound): past it
   * the query fails as the database being unreachable, and its connection is closed (PostgreSQL; a
   * SQLite file answers or is busy, and busy_timeout bounds that). Set once migrations have run.
   */
  boundQueries(ms: number): void;
}

const sqliteAdapter: DialectAdapter = {
  engine: 'sqlite',
  supportsTransactionalDdl: false,
  multiNode: false,
  autoIncrement: (col) => col.primaryKey().autoIncrement(),
  autoIncrementType: 'integer',
  rowLocks: false,
  rowId: 'rowid',
  // A long read (audit verify walks every entry) on the process's one connection would hold back
  // every other query, decisions included, until it ends. It runs on a second, read-only connection
  // instead: in WAL mode that reader sees one snapshot (taken at its first read) and blocks no writer.
  readSnapshot: async (db, fn) => {
    const file = sqliteFiles.get(db);
    if (!file) return db.transaction().execute(fn); // in-memory: one connection is all there is
    const reader = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(file, { readonly: true, fileMustExist: true }) }),
    });
    try {
      return await reader.transaction().execute(fn);
    } finally {
      await reader.destroy();
    }
  },
  // json_each has no index: joined as it is, SQLite walks the whole object again for each row of the
  // other side. The LIMIT keeps the subquery from being flattened into the join: it is read once into a
  // table, which SQLite may index for the join (an automatic index; src/evidence/costs.ts).
  objectEntries: (json) => sql`(SELECT key, value FROM json_each(${json}) LIMIT -1)`,
  arrayValues: (json) => sql<string>`(SELECT value FROM json_each(${json}))`,
  arrayRows: (json, columns) =>
    sql`(SELECT ${sql.join(columns.map((c) => sql`json_extract(value, ${`$.${c}`}) AS ${sql.ref(c)}`))} FROM json_each(${json}))`,
  // SQLite's default collation (BINARY) compares UTF-8 bytes: code-point order.
  codePointOrder: (text) => sql`${text}`,
  lockKeys: async () => {},
};

/** The file behind each SQLite Kysely this process opened (for readSnapshot's second connection). */
const sqliteFiles = new WeakMap<Kysely<Database>, string>();

const postgresAdapter: DialectAdapter = {
  engine: 'postgres',
  supportsTransactionalDdl: true,
  multiNode: true,
  autoIncrement: (col) => col.primaryKey(),
  autoIncrementType: 'bigserial',
  rowLocks: true,
  rowId: 'ctid',
  readSnapshot: (db, fn) => db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn),
  objectEntries: (json) => sql`json_each_text(cast(${json} as json))`,
  arrayValues: (json) => sql<string>`(SELECT jsonb_array_elements_text(${json}::jsonb))`,
  arrayRows: (json, columns) =>
    sql`(SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS r(${sql.join(columns.map((c) => sql`${sql.ref(c)} text`))}))`,
  codePointOrder: (text) => sql`${text} collate "C"`,
  lockKeys: async (trx, keys) => {
    for (const key of [...new Set(keys)].sort())
      await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  },
};

/** The adapter of an open database, for code that was handed only its Kysely instance. */
export function adapterOf(db: Kysely<Database>): DialectAdapter {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresAdapter : sqliteAdapter;
}

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
  // SQLite gives its -wal and -shm files the database file's mode: 0600 for all three.
  if (file !== ':memory:') touchPrivateFile(file);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a committed transaction survives power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  let deferred: ReturnType<typeof deferredSync> | undefined;
  // SQLite's own syncs (a FULL commit's, a checkpoint's) fail the DeferredSync too, as ours do.
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, (err) => deferred?.syncFailed(err)) }),
  });
  if (file !== ':memory:') {
    sqliteFiles.set(db, file);
    deferred = deferredSync(db, sqlite, file);
    deferredSyncs.set(db, deferred);
  }
  const destroy = async () => {
    await db.destroy();
    deferred?.close();
  };
  return { db, adapter: sqliteAdapter, location: `sqlite:${file}`, destroy, boundQueries: () => {} };
}

/**
 * One transaction committed without its fsync, made durable afterwards off the event loop.
 *
 * better-sqlite3 is synchronous: at `synchronous = FULL` a commit's fsync of the WAL (0.1-0.5 ms
 * on the disks measured) holds the event loop, and with it every other request of the node. A
 * writer that has other requests waiting for the loop commits through this instead: the
 * transaction runs at `synchronous = NORMAL` (written to the WAL, not synced), the connection goes
 * back to FULL at once, and the WAL is fdatasynced on libuv's thread pool. Durable means: after
 * `durable` resolves. The WAL is written in order, so that sync, or any later FULL commit, makes
 * this transaction and every earlier one durable; until then it is visible on this connection and
 * may be lost with power (never torn: SQLite's WAL at NORMAL stays consistent).
 */
export interface DeferredSync {
  run<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<{ value: T; durable: Promise<void> }>;
  /**
   * `fn`'s transaction committed and synced on the event loop, as at FULL (the same WAL frames on
   * disk before it resolves), the sync timed: the audit writer commits this way when it keeps the
   * sync on the loop, so `slow` knows what holding the loop costs now.
   */
  runOnLoop<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Whether a sync of the WAL held on the event loop takes long enough now (≥ SLOW_SYNC_MS, a moving
   * average of the recent ones, timed by runOnLoop) that a commit should not hold the loop for it.
   */
  readonly slow: boolean;
  /** The moving average behind `slow`, in ms; undefined before the first sync on the loop. */
  readonly recentSyncMs: number | undefined;
  /**
   * Whether a commit made now should sync off the loop because syncs are slow. A sync off the loop
   * cannot say how long the disk took (its answer waits for the loop's turn), so while syncs are slow
   * one commit every SLOW_SYNC_PROBE_MS is told to sync on the loop anyway, to time the disk again.
   */
  deferNow(): boolean;
  /** Why nothing committed from now on can be called durable (a sync failed, whoever's), for good; else undefined. */
  readonly failed: Error | undefined;
}

const deferredSyncs = new WeakMap<Kysely<Database>, DeferredSync>();

/** The database's DeferredSync (a SQLite file), or undefined (PostgreSQL, in-memory SQLite). */
export function deferredSyncOf(db: Kysely<Database>): DeferredSync | undefined {
  return deferredSyncs.get(db);
}

/**
 * How a writer that no request waits on commits: the LLM gateway's settlements and the gateways' spans,
 * written in batches beside the calls. Each is one transaction of `fn`'s; the promise resolves once it
 * is durable, as it did when its fsync held the event loop.
 *
 * On a SQLite file with syncs off the loop (`offLoop`, FULCRUM_SQLITE_SYNC_OFF_LOOP), the transaction
 * commits through the DeferredSync: its fsync runs on the thread pool, so a batch of spans or
 * settlements written between two calls no longer holds the next call (one call at a time, a call that
 * arrived during that fsync waited for it: 0.1-0.5 ms) nor, under load, the loop. Otherwise `fn` runs
 * on the database as it is (PostgreSQL's commits never held the loop).
 */
export type BackgroundCommit = <T>(fn: (db: Kysely<Database>) => Promise<T>) => Promise<T>;

export function backgroundCommit(db: Kysely<Database>, offLoop: boolean): BackgroundCommit {
  const deferred = offLoop ? deferredSyncs.get(db) : undefined;
  if (!deferred) return (fn) => fn(db);
  return async (fn) => {
    const { value, durable } = await deferred.run(fn);
    try {
      await durable;
    } catch (err) {
      throw new NotDurableError(err);
    }
    return value;
  };
}

/** A background writer's transaction committed (it is in the database), but its sync failed: not to be written again. */
export class NotDurableError extends Error {
  constructor(cause: unknown) {
    super(`committed, but not synced to disk: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * From this recent sync time on, a commit made while other requests wait has its sync off the loop
 * (FULCRUM_SQLITE_SYNC_OFF_LOOP=auto). Measured (bench/README.md, bench/mcp): a sync of 0.6 ms held
 * on the loop answered more calls than the same sync off it (whose answer waits a turn of a busy
 * loop: 1.7 ms to durable); at 5 ms (another process syncing the same disk) off the loop answered 15 %
 * more, and with test suites beside it up to 3×.
 */
export const SLOW_SYNC_MS = 2;
/** While syncs are slow, how often one commit syncs on the loop all the same, to time the disk again. */
export const SLOW_SYNC_PROBE_MS = 500;
/** Weight of each new sync in the moving average: about the last ten syncs count. */
const SYNC_AVERAGE_WEIGHT = 0.2;

function deferredSync(
  db: Kysely<Database>,
  sqlite: SqliteDatabase.Database,
  file: string,
): DeferredSync & { close(): void; syncFailed(err: Error): void } {
  const wal = `${file}-wal`;
  /** Syncs held on the loop, timed (runOnLoop): a moving average, and when the last one ended. */
  let recentSyncMs: number | undefined;
  let lastOnLoop = 0;
  const timed = (ms: number) => {
    recentSyncMs = recentSyncMs === undefined ? ms : recentSyncMs + SYNC_AVERAGE_WEIGHT * (ms - recentSyncMs);
  };
  const slow = () => recentSyncMs !== undefined && recentSyncMs >= SLOW_SYNC_MS;
  // Opened once, at the first deferred commit, and kept: SQLite keeps its WAL open for the life of
  // the connection and writes that file, so this descriptor names what it writes. Syncs on the loop
  // have one of their own: Linux reports a failed writeback once to each open file description, so
  // through a shared one a sync on the loop answered success over pages a sync off it had heard were
  // lost, while that one's answer waited for the loop's turn. Both are opened together: a description
  // opened after an error was heard through another is not told of it.
  let fd: number | undefined;
  let loopFd: number | undefined;
  const openWal = () => {
    fd ??= fs.openSync(wal, 'r');
    loopFd ??= fs.openSync(wal, 'r');
  };
  const closeWal = () => {
    for (const d of [fd, loopFd]) if (d !== undefined) fs.closeSync(d);
    fd = loopFd = undefined;
  };
  let closing = false;
  /** Once a sync failed, nothing written after it can be called durable (below): for good. */
  let failed: Error | undefined;
  // One sync at a time: commits made while one runs wait for the next, which covers them all (the
  // thread pool, shared with DNS lookups and zlib, is not filled with syncs of one file).
  let syncing = false;
  let waiting: Array<{ resolve(): void; reject(err: Error): void }> = [];
  const fail = (err: unknown) => {
    // Linux may drop the pages a failed fsync did not write and report the next fsync a success: a
    // WAL with a hole, which recovery replays up to the hole only. So after one failure no later
    // commit is durable for sure; the writer refuses until the node is restarted (SQLite then recovers
    // what reached the disk, and the audit chain goes on from its committed head).
    if (failed) return failed;
    failed = new FulcrumError(
      'unavailable',
      `the database could not be synced to disk (${err instanceof Error ? err.message : String(err)}): this node refuses decisions and every other write until it is restarted (docs/storage.md)`,
    );
    // Every other writer too (registry writes, approvals, evidence posted to the API commit at FULL on
    // the loop): their fsync could succeed over the hole, and they would answer as durable a write that
    // recovery drops. SQLite refuses them from here on (SQLITE_READONLY, answered 503); reads go on.
    try {
      sqlite.pragma('query_only = ON');
    } catch {
      // a connection already closed writes nothing more either
    }
    return failed;
  };
  const sync = () => {
    syncing = true;
    const these = waiting;
    waiting = [];
    try {
      openWal();
    } catch (err) {
      fail(err);
    }
    const done = (err: Error | null) => {
      syncing = false;
      if (err) fail(err);
      for (const w of these) failed ? w.reject(failed) : w.resolve();
      if (failed) for (const w of waiting.splice(0)) w.reject(failed);
      if (waiting.length > 0) return sync();
      // Closed meanwhile: the WAL is closed once the syncs queued are made, through the descriptors
      // they had (SQLite deletes the WAL as it closes, after checkpointing it into the database).
      if (closing) closeWal();
    };
    if (failed || fd === undefined) done(null);
    else fs.fdatasync(fd, done);
  };
  const durable = () =>
    new Promise<void>((resolve, reject) => {
      if (failed) return reject(failed);
      waiting.push({ resolve, reject });
      if (!syncing) sync();
    });
  // Prepared once: pragma() prepares its statement at each call, twice a commit (3.5 µs a commit more).
  // SQLite sets the level when it prepares the statement, and prepares it again at each later run: the
  // first run does nothing (the connection is left at the level prepared last), so each is run once
  // here, FULL last. Otherwise a node whose migrations changed nothing made its first commit at FULL.
  const atNormalLevel = sqlite.prepare('PRAGMA synchronous = NORMAL');
  const atFullLevel = sqlite.prepare('PRAGMA synchronous = FULL');
  atNormalLevel.run();
  atFullLevel.run();
  const full = () => {
    // A safety level cannot change inside a transaction: one left open by a failure is undone
    // first, or the connection would stay at NORMAL for every later commit.
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    atFullLevel.run();
  };
  /** `fn` on the held connection at NORMAL, back at FULL after it, whatever happens. */
  const atNormal = <T>(fn: (db: Kysely<Database>) => Promise<T>) =>
    db.connection().execute(async (conn) => {
      if (failed) throw failed;
      // Kysely's one SQLite connection is held: no other statement runs until this returns.
      atNormalLevel.run();
      try {
        return await fn(conn);
      } finally {
        full();
      }
    });
  return {
    get failed() {
      return failed;
    },
    get slow() {
      return slow();
    },
    get recentSyncMs() {
      return recentSyncMs;
    },
    deferNow: () => {
      if (!slow()) return false;
      const now = performance.now();
      if (now - lastOnLoop < SLOW_SYNC_PROBE_MS) return true;
      lastOnLoop = now; // this commit times the disk: no other until it has
      return false;
    },
    run: async (fn) => ({ value: await atNormal(fn), durable: durable() }),
    runOnLoop: (fn) =>
      atNormal(async (conn) => {
        const value = await fn(conn);
        // Still holding the connection: no commit of anyone else's comes between this one and its sync.
        // The WAL, written in order, holds this transaction's frames and every earlier one's.
        const started = performance.now();
        try {
          openWal();
          fs.fdatasyncSync(loopFd as number);
        } catch (err) {
          throw fail(err);
        }
        lastOnLoop = performance.now();
        timed(lastOnLoop - started);
        return value;
      }),
    close: () => {
      closing = true;
      if (!syncing) closeWal();
    },
    // SQLite's own sync failed (its error goes to the statement's caller as well): our descriptors
    // may never hear of it (opened after it, or not yet), and a later sync could succeed over the hole.
    syncFailed: (err) => {
      fail(err);
    },
  };
}

/** SQLite's errors for a write or sync of a file that failed: what reached the disk is unknown. */
const SYNC_ERRORS = new Set(['SQLITE_IOERR_FSYNC', 'SQLITE_IOERR_DIR_FSYNC', 'SQLITE_IOERR_WRITE']);

/**
 * Kysely's SQLite driver prepares every query anew; preparing is a large share of the cost of a
 * big multi-row insert. Reusing prepared statements by SQL text (a bounded LRU) removes it. Each
 * write's failure to write or sync the files goes to `onSyncError` as well as to its caller.
 */
function withStatementCache(
  sqlite: SqliteDatabase.Database,
  /** Hears a write's failure to write or sync the files (a FULL commit's fsync, an autocommit's, a checkpoint's). */
  onSyncError: (err: Error) => void,
  size = 256,
): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
    } else {
      stmt = sqlite.prepare(sql);
      if (!stmt.reader) {
        // A write's sync happens in its run (COMMIT, or the statement itself outside a transaction).
        // Looked up on the prototype at each run (a test fails it there).
        const self = stmt;
        stmt.run = (...params: unknown[]) => {
          try {
            return Object.getPrototypeOf(self).run.apply(self, params);
          } catch (err) {
            if (err instanceof SqliteDatabase.SqliteError && SYNC_ERRORS.has(err.code)) onSyncError(err);
            throw err;
          }
        };
      }
      if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, stmt);
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function openPostgres(url: string, max: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max });
  // A client losing its server must not crash the process; the next query on it reports it. The
  // pool listens only while a client is idle: one checked out between two queries (inside a
  // transaction: the audit writer's group commit) emits its 'error' with nobody listening, which
  // killed the node when PostgreSQL restarted or an administrator ended its backends. A client that
  // failed is not queryable again, and the pool drops it when it is released.
  pool.on('error', () => {});
  let bound = 0;
  pool.on('connect', (client) => {
    client.on('error', () => {});
    boundQuery(client, () => bound);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    adapter: postgresAdapter,
    location: redact(url),
    destroy: () => db.destroy(),
    boundQueries(ms) {
      bound = ms;
      pool.options.connectionTimeoutMillis = ms;
    },
  };
}

const unbounded = new AsyncLocalStorage<true>();

/**
 * Runs `fn` with its queries free of boundQueries' limit: background jobs whose one statement may
 * rightly run long on a large database (retention's deletes, monitors' windows), which would
 * otherwise fail on every run and never catch up. Waiting for a connection stays bounded.
 */
export function withoutQueryBound<T>(fn: () => Promise<T>): Promise<T> {
  return unbounded.run(true, fn);
}

/**
 * Runs `fn` (which starts shared work: a writer's flush loop) with the query bound back on, whoever
 * calls it: the audit writer's loop started by a retention or monitor act would otherwise carry their
 * unbounded mark to every decision it then commits.
 */
export function withQueryBound<T>(fn: () => T): T {
  return unbounded.exit(fn);
}

/** Thrown when the database did not answer a query in time (src/db/unreachable.ts: 503). */
export class DatabaseTimeout extends Error {
  readonly code = 'FULCRUM_DATABASE_TIMEOUT';
  constructor(ms: number) {
    super(`the database did not answer within ${ms / 1000} s`);
  }
}

/**
 * A database that stops answering without closing anything (a network partition, a frozen host)
 * held every request, /healthz included, without end: the client's queries are given `ms()` each.
 * Past it the query fails and the connection is destroyed, which fails whatever else waits on it and
 * has the pool drop it (pg's own query_timeout leaves the connection busy with the lost query).
 */
function boundQuery(client: pg.PoolClient, ms: () => number): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const destroy = () => (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const out = query(...args);
    const limit = unbounded.getStore() ? 0 : ms();
    if (limit <= 0 || !(out instanceof Promise)) return out;
    return new Promise((resolve, reject) => {
      let late = false;
      const timeout = () => reject(new DatabaseTimeout(limit));
      const timer = setTimeout(() => {
        late = true;
        destroy();
        setTimeout(timeout, 1_000).unref(); // in case pg never hears the connection end
      }, limit);
      // Once late, answered when pg has seen the connection end (the query fails then): by that time
      // the client is marked broken, so the pool drops it when it is released instead of reusing it.
      const settle = (answer: () => void) => {
        if (late) return timeout();
        clearTimeout(timer);
        answer();
      };
      out.then(
        (v) => settle(() => resolve(v)),
        (err) => settle(() => reject(err)),
      );
    });
  };
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
