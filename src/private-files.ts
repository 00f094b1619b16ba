// Files only Fulcrum's user may read: the data directory (0700), the SQLite database, keys and
// tokens (0600). The audit log holds call arguments, the token files grant power: no other local
// user reads them, whatever the process umask.
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
 * Writes a file only its owner may read or write, replacing one that was there. The old name is
 * unlinked and the new file created exclusively, so a symbolic link planted in its place is never
 * followed.
 */
export function writePrivateFile(file: string, content: string | Uint8Array): void {
  ensurePrivateDir(path.dirname(file));
  fs.rmSync(file, { force: true });
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, content);
    fs.fchmodSync(fd, 0o600);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Makes sure the SQLite `file` and its `-wal` and `-shm` companions exist with mode 0600 before
 * SQLite opens them (SQLite gives new companions the database's mode; existing ones keep theirs).
 */
export function touchPrivateFile(file: string): void {
  ensurePrivateDir(path.dirname(file));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (!fs.existsSync(f)) {
      if (f !== file) continue;
      fs.closeSync(fs.openSync(f, 'wx', 0o600));
    }
    fs.chmodSync(f, 0o600);
  }
}
