// Gives a written, synced and checked backup its name (docs/operations.md, "Backups"): never over a
// file already there, and never a name that shows part of a backup.
import fs from 'node:fs';

/**
 * What link(2) answers on a file system without hard links: EPERM on FAT/exFAT (a USB disk, many SMB
 * shares as Linux mounts them), ENOTSUP/EOPNOTSUPP/ENOSYS on some FUSE and network file systems.
 * `fulcrum backup` failed there after writing and checking the whole copy.
 */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Names `tmp` `target`. A hard link first: it fails if something took the name meanwhile, where a
 * rename would replace it. Where the file system has none, the name is claimed with an exclusive
 * create (which every file system has) and the copy renamed over that claim: still never over
 * another's file, and the name shows the whole backup at once (until then, an empty file, which
 * `fulcrum restore` refuses as not a Fulcrum database). `link` is the file system's (tests give one
 * that answers as FAT does).
 */
export function publishBackup(tmp: string, target: string, link: (from: string, to: string) => void = fs.linkSync): void {
  try {
    link(tmp, target);
    return;
  } catch (err) {
    if (!NO_HARD_LINKS.has((err as { code?: string }).code ?? '')) throw err;
  }
  fs.closeSync(fs.openSync(target, 'wx', 0o600));
  try {
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(target, { force: true }); // the empty claim, ours: a rename that failed left it empty
    throw err;
  }
}
