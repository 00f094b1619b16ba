// Files only Fulcrum's user may read: the data directory (0700), the SQLite database, keys and
// tokens (0600). The audit log holds call arguments, the token files grant power: no other local
// user reads them, whatever the process umask.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Creates `dir` (and missing parents) with mode 0700. A folder the operator made keeps its mode, with
 * a warning when others may read it (a data directory from an older version was created 0755).
 */
export function ensurePrivateDir(dir: string): void {
  if (fs.existsSync(dir)) {
    const mode = fs.statSync(dir).mode & 0o777;
    if (mode & 0o077)
      process.emitWarning(
        `${dir} is readable by other users (mode ${mode.toString(8)}): chmod 700 it, it holds the database and keys`,
      );
    return;
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700); // the umask may have narrowed mkdir's mode; never widened it
}

/**
 * Writes a file only its owner may read or write, replacing one that was there. The content goes to
 * a new file, created exclusively under a name of its own (so a symbolic link planted there is never
 * followed), which is then renamed over `file`: a reader sees the old content or the new, never half,
 * and two processes writing at once each succeed, the last rename winning.
 */
export function writePrivateFile(file: string, content: string | Uint8Array): void {
  ensurePrivateDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    try {
      fs.writeFileSync(fd, content);
      fs.fchmodSync(fd, 0o600);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file); // rename replaces a link at `file`, never what it points to
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Makes sure the SQLite `file` and its `-wal` and `-shm` companions exist with mode 0600 before
 * SQLite opens them (SQLite gives new companions the database's mode; existing ones keep theirs).
 * Several processes may do this at once on a fresh directory (`fulcrum migrate` started twice): the
 * one that finds the file already made by another goes on.
 */
export function touchPrivateFile(file: string): void {
  ensurePrivateDir(path.dirname(file));
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (err) {
      // a companion SQLite has not made yet, or has just removed (the last connection's close)
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || f === file) throw err;
    }
  }
}
