// A full disk for tests: a 64 KiB tmpfs mounted on a fresh folder (or a read-only one: a folder no one
// may write, root included). Mounting needs root; where it cannot be done, `mounted` is false and the
// test using it is skipped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SmallDisk {
  dir: string;
  mounted: boolean;
  /** Unmounts it (when mounted) and removes the folder. */
  remove(): void;
}

export function smallDisk({ readOnly = false } = {}): SmallDisk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-small-disk-'));
  let mounted: boolean;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', readOnly ? 'ro,size=64k' : 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
  return {
    dir,
    mounted,
    remove() {
      if (mounted) execFileSync('umount', [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
