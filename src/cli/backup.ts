// `fulcrum backup` takes a consistent copy of a SQLite data directory's database while its server runs;
// `fulcrum restore` puts such a copy in place while no server runs (docs/operations.md, "Backups").
// PostgreSQL is backed up with its own tools (pg_dump): several nodes write it, and it has them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { sqliteFileOf } from '../app.js';
import { adminTokenFile } from '../auth/admin-token.js';
import { type Config, loadConfig } from '../config.js';
import { adapterOf } from '../db/adapter.js';
import { lockDataDir } from '../db/data-dir-lock.js';
import { lastBackupFile, recordBackup } from '../db/last-backup.js';
import { pendingMigrations } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { missingKeyProblem } from '../guard/audit-checkpoint.js';
import { readPublicKey } from '../guard/audit-key.js';
import { verifyAudit } from '../guard/audit-verify.js';
import { touchPrivateFile } from '../private-files.js';
import { brokenLine } from './audit.js';
import { publishBackup } from './backup-publish.js';
import { CliError } from './client.js';

const USAGE = 'usage: fulcrum backup --to FILE | fulcrum restore --from FILE';

/** What a database file holds, as checked in a copy: SQLite's integrity check and the audit chains. */
interface Checked {
  problems: string[];
  summary: string;
}

function sqliteOnly(config: Config, command: string): string {
  if (config.databaseUrl)
    throw new CliError(
      `${command} copies a SQLite data directory's database; this Fulcrum uses PostgreSQL (FULCRUM_DATABASE_URL): ` +
        'back that up with pg_dump and restore it with pg_restore (docs/operations.md, "Backups")',
      2,
    );
  return sqliteFileOf(config);
}

function fileArg(argv: string[], name: 'to' | 'from'): string {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: { [name]: { type: 'string' } } }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const file = values[name];
  if (!file) throw new CliError(`--${name} FILE is required\n${USAGE}`, 2);
  return path.resolve(file);
}

export async function backup(argv: string[]): Promise<number> {
  const target = fileArg(argv, 'to');
  const config = loadConfig();
  const source = sqliteOnly(config, 'fulcrum backup');
  if (!fs.existsSync(source))
    throw new CliError(
      `there is no Fulcrum database at ${source}: nothing to back up (FULCRUM_DATA_DIR names the data directory)`,
      2,
    );
  const folder = path.dirname(target);
  let there: fs.Stats | undefined;
  try {
    there = fs.statSync(folder);
  } catch {} // missing, or under a file (ENOTDIR): no such folder either way
  if (!there?.isDirectory())
    throw new CliError(
      `${folder} ${there ? 'is not a folder' : 'does not exist'}: no backup written (the folder of --to FILE is not made for it)`,
      2,
    );
  // lstat: a dangling symbolic link at the name is something there too, which a rename would replace.
  if (fs.lstatSync(target, { throwIfNoEntry: false }))
    throw new CliError(
      `${target} exists: a backup never replaces a file (an older backup may be all there is); name a new one`,
      2,
    );

  // VACUUM INTO writes one read transaction's snapshot of the database: consistent, and in WAL mode it
  // blocks none of the serving node's writers (SQLite's online backup API, by contrast, starts over
  // whenever another process writes, and a busy node writes all the time). It must target a new or
  // empty file: made here, exclusively and 0600, under a name no reader takes for a backup, and given
  // the backup's name only once written, synced and checked.
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.closeSync(fs.openSync(tmp, 'wx', 0o600));
  } catch (err) {
    throw new CliError(`cannot write in ${folder}, no backup written: ${(err as Error).message}`);
  }
  try {
    const started = Date.now();
    // Opened read-write though it only reads: a read-only connection cannot open a WAL database whose
    // -shm the stopped server removed. touchPrivateFile keeps what SQLite makes beside it at 0600.
    touchPrivateFile(source);
    const live = new SqliteDatabase(source, { fileMustExist: true });
    try {
      live.pragma('busy_timeout = 5000');
      live.prepare('VACUUM INTO ?').run(tmp);
    } finally {
      live.close();
    }
    fsyncFile(tmp);
    const checked = await check(tmp, config);
    if (checked.problems.some((p) => p.startsWith('integrity')))
      throw new CliError(`the copy of ${source} is damaged, no backup written: ${checked.problems.join('; ')}`);
    try {
      publishBackup(tmp, target);
    } catch (err) {
      throw new CliError(`${target} not written: ${(err as Error).message}`);
    }
    fsyncFile(path.dirname(target));
    const bytes = fs.statSync(target).size;
    const seconds = Math.round(Date.now() - started) / 1000;
    process.stdout.write(
      `backup of ${source} written to ${target} (${bytes} bytes, ${seconds.toFixed(1)} s): ` +
        `${checked.summary}\n` +
        `not in it, by design: the audit signing key ${config.auditKeyFile} and the admin token file ` +
        `${adminTokenFile(config.dataDir)}: keep copies of them apart from database backups (docs/operations.md, "Backups")\n`,
    );
    if (checked.problems.length) {
      // The copy is faithful: the live database has the same findings. Kept, as evidence, and said.
      // Not recorded as a good backup: its age keeps growing, and FulcrumBackupOld fires.
      for (const p of checked.problems) process.stderr.write(`backup ${target}: ${p}\n`);
      return 1;
    }
    try {
      recordBackup(config.dataDir, {
        at: new Date(started).toISOString(),
        file: target,
        bytes,
        seconds,
        checked: checked.summary,
      });
    } catch (err) {
      process.stderr.write(
        `backup ${target}: written, but its time not recorded in ${lastBackupFile(config.dataDir)} ` +
          `(fulcrum_backup_last_success_timestamp_seconds does not move): ${(err as Error).message}\n`,
      );
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${target} not written: ${(err as Error).message}`);
  } finally {
    // VACUUM INTO journals what it writes: a failure midway may leave the journal beside the copy.
    for (const f of [tmp, `${tmp}-journal`]) fs.rmSync(f, { force: true });
  }
}

export async function restore(argv: string[]): Promise<number> {
  const from = fileArg(argv, 'from');
  const config = loadConfig();
  const live = sqliteOnly(config, 'fulcrum restore');
  if (!fs.statSync(from, { throwIfNoEntry: false })?.isFile()) throw new CliError(`${from} is not a file: nothing to restore`, 2);
  let lock: ReturnType<typeof lockDataDir>;
  try {
    lock = lockDataDir(config.dataDir);
  } catch (err) {
    throw new CliError(`not restored: ${(err as Error).message}`);
  }
  try {
    const checked = await check(from, config, true);
    // The file given is the caller's to fix (another file, an older backup), as a missing one is: exit 2.
    if (checked.problems.some((p) => p.startsWith('integrity') || p.startsWith('not a Fulcrum')))
      throw new CliError(`${from} not restored: ${checked.problems.join('; ')}`, 2);
    // Copied beside the database first: a full disk fails here, with the live database untouched.
    const tmp = `${live}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      fs.copyFileSync(from, tmp, fs.constants.COPYFILE_EXCL);
      fs.chmodSync(tmp, 0o600);
      fsyncFile(tmp);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new CliError(`${from} not restored: ${(err as Error).message}`);
    }
    const aside = `${live}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const kept = fs.existsSync(live) ? keepAside(live, aside) : undefined;
    // No -wal may stay beside the restored file: SQLite would replay it into the restored database.
    for (const f of [`${live}-wal`, `${live}-shm`]) fs.rmSync(f, { force: true });
    fs.renameSync(tmp, live);
    fsyncFile(config.dataDir);
    process.stdout.write(
      `restored ${from} into ${live}: ${checked.summary}\n` +
        (kept !== undefined ? `the database it replaced is kept as ${aside}${kept}\n` : '') +
        'entries written after the backup are not in it: a checkpoint file exported since reports its chains ' +
        '`truncated` (docs/operations.md, "Backups"); new decisions go into a new chain from the next start\n',
    );
    for (const p of checked.problems) process.stderr.write(`warning: ${p}\n`);
    return 0;
  } finally {
    lock.release();
  }
}

/**
 * Keeps the database `live` as `aside`, whole in one file. A node that crashed left commits in its -wal
 * alone: they are folded into the file first (no node runs: the caller holds the lock), and the file is
 * then linked, so `live` never goes missing (a node started after a restore cut short would make a new,
 * empty database there). A database that cannot be opened to fold (a damaged one, the reason for
 * many a restore) is moved aside with its -wal and -shm as they are.
 */
function keepAside(live: string, aside: string): string {
  try {
    const old = new SqliteDatabase(live, { fileMustExist: true });
    try {
      old.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      old.close(); // the last connection's close removes an empty -wal
    }
    if ((fs.statSync(`${live}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0)
      throw new Error(`its -wal could not be folded into it`);
  } catch (err) {
    for (const suffix of ['', '-wal', '-shm']) if (fs.existsSync(live + suffix)) fs.renameSync(live + suffix, aside + suffix);
    return ` with its -wal and -shm, which go with it (it could not be opened to fold them in: ${(err as Error).message})`;
  }
  fs.linkSync(live, aside);
  return '';
}

/** Checks the database `file` (a copy, nothing else has it open): SQLite's integrity, and the audit chains. */
async function check(file: string, config: Config, restoring = false): Promise<Checked> {
  const problems: string[] = [];
  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    return { problems: [`integrity: ${file} cannot be opened: ${(err as Error).message}`], summary: '' };
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    let rows: Array<{ integrity_check: string }>;
    try {
      rows = sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>;
    } catch (err) {
      return { problems: [`integrity: not a SQLite database (${(err as Error).message})`], summary: '' };
    }
    const bad = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (bad.length) return { problems: [`integrity: ${bad.slice(0, 5).join('; ')}`], summary: '' };
    const tables = sqlite.prepare("select count(*) n from sqlite_master where name = 'audit_entries'").get() as { n: number };
    if (!tables.n) return { problems: ['not a Fulcrum database: it has no audit log (audit_entries)'], summary: '' };
    const pending = await pendingMigrations({ db, adapter: adapterOf(db) } as Parameters<typeof pendingMigrations>[0]);
    if (pending.length)
      return {
        problems: [],
        summary: `integrity ok; audit log not checked: the schema is older than this fulcrum (${pending.length} migration(s) to run at the next start)`,
      };
    const verifier = fs.existsSync(config.auditKeyFile) ? readPublicKey(config.auditKeyFile) : undefined;
    const r = await verifyAudit(db, verifier ? { verifier } : {});
    if (!r.ok) for (const f of r.findings ?? []) problems.push(brokenLine('audit log', f));
    // Restored, the file's checkpoints name the key that signed them: a server refuses to start without it.
    const key = restoring && (await missingKeyProblem(db, config.auditKeyFile, config.auditKeyRotate));
    if (key) problems.push(`a server on ${config.dataDir} will not start as it is: ${key}`);
    const signed = verifier
      ? `, signed checkpoints checked with key ${verifier.keyId}`
      : ', signed checkpoints not checked (no key here)';
    return {
      problems,
      summary: `integrity ok; audit log ${r.ok ? 'intact' : 'BROKEN'}: ${r.entries} entries in ${r.chains} chain(s)${signed}`,
    };
  } finally {
    await db.destroy();
  }
}

/** Makes what was written to `file` (or the names in a folder) durable before it is reported done. */
function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
