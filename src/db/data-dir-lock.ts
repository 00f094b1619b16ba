// One server process per SQLite data directory. `fulcrum serve` holds <dir>/fulcrum.lock for as long
// as it runs: SQLite's own lock on that file (a POSIX record lock), which the system drops when the
// holder ends, however it ends, so a crash leaves nothing to clear by hand. fulcrum.pid beside it
// names the holder, for the message a second process gets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { ensurePrivateDir, touchPrivateFile, writePrivateFile } from '../private-files.js';

export const LOCK_FILE = 'fulcrum.lock';
export const HOLDER_FILE = 'fulcrum.pid';

export interface DataDirLock {
  release(): void;
}

/** Takes `dir` for this process, or throws naming the directory and the process that holds it. */
export function lockDataDir(dir: string): DataDirLock {
  ensurePrivateDir(dir);
  const file = path.join(dir, LOCK_FILE);
  touchPrivateFile(file);
  // timeout 0: a held lock is an answer now, not something to wait for.
  const lock = new SqliteDatabase(file, { timeout: 0 });
  try {
    lock.pragma('journal_mode = MEMORY'); // nothing is written: no -journal file beside it
    // Held until this connection closes; the transaction never writes, so the file stays empty.
    lock.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new Error(
      `the data directory ${dir} is in use by another Fulcrum process (${holder(dir)}; lock ${file}). ` +
        'On SQLite one process serves a data directory: stop that one, or give this one another ' +
        'FULCRUM_DATA_DIR (--data-dir); several nodes share a PostgreSQL database (FULCRUM_DATABASE_URL, docs/operations.md)',
    );
  }
  const holderFile = path.join(dir, HOLDER_FILE);
  writePrivateFile(holderFile, `${process.pid} ${os.hostname()} ${new Date().toISOString()}\n`);
  return {
    release: () => {
      if (!lock.open) return;
      fs.rmSync(holderFile, { force: true });
      lock.close();
    },
  };
}

/** Who holds the lock, as fulcrum.pid says; it may lag a holder that has only just started. */
function holder(dir: string): string {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, HOLDER_FILE), 'utf8');
  } catch {
    return 'which has not written its pid yet';
  }
  const [pid, host, since] = text.trim().split(' ');
  if (!pid || !/^\d+$/.test(pid)) return `${HOLDER_FILE} unreadable`;
  return `pid ${pid}${host ? ` on ${host}` : ''}${since ? `, since ${since}` : ''}`;
}
